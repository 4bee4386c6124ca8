import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core, DbHandle, User } from '../../../core/index.js';
import { createMemoryStore } from '../../../core/store/memory-store.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
// Wednesday 6 March 2030, 10:00 in Kyiv (UTC+2).
const WED_10 = new Date('2030-03-06T08:00:00Z');

let handle: DbHandle;
let now: Date;
const clock = () => now;
const coreWith = (env: Record<string, string>): Core => createTestCore(handle, createMemoryStore(), {
  TEAM_TIMEZONE: 'Europe/Kyiv', WORKING_HOURS: 'mon-fri 09:00-18:00', FIRST_CONTACT_SLA_MINUTES: '15',
  ESCALATE_AFTER_HOURS: '2', ESCALATE_REASSIGN_AFTER_HOURS: '3', DIGEST_TIME: '09:00', ...env,
}, undefined, clock);

let agent: User;
let other: User;
let manager: User;

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => handle.close());
beforeEach(async () => {
  await sql`truncate digests, lead_escalations, reminders, notifications, stale_alerts, lead_history, lead_notes, leads, users
    restart identity cascade`.execute(handle.db);
  now = WED_10;
  agent = await makeUser(handle.db, { name: 'Ann' });
  other = await makeUser(handle.db, { name: 'Bob', isAvailable: false });
  manager = await makeUser(handle.db, { role: 'manager', name: 'Mia' });
});

const messages = (kind: string) => handle.db.selectFrom('notifications').selectAll().where('kind', '=', kind as never)
  .orderBy('id').execute();
const history = (leadId: number) => handle.db.selectFrom('lead_history').selectAll().where('lead_id', '=', leadId)
  .orderBy('id').execute();
const at = (ms: number) => { now = new Date(WED_10.getTime() + ms); };

describe('speed-to-lead (issue 11)', () => {
  it('inside working hours, a NEW lead nobody contacted alerts its owner once its 15 minutes are over, once', async () => {
    const core = coreWith({});
    const lead = await makeLead(handle.db, { assigned_to: agent.id, created_at: WED_10 });
    at(14 * MIN);
    expect((await core.followups.run()).sla).toEqual([]);
    at(16 * MIN);
    expect((await core.followups.run()).sla).toEqual([{ leadId: lead.id, userId: agent.id }]);
    await core.followups.run();
    const alerts = await messages('sla_breach');
    expect(alerts).toMatchObject([{ recipient_user_id: agent.id, lead_id: lead.id, payload: { minutes: 15 } }]);
    expect(await history(lead.id)).toMatchObject([{ action: 'ESCALATED', details: { cause: 'sla', rung: 1 } }]);
  });

  it('outside working hours the minutes wait for the next working day', async () => {
    const core = coreWith({});
    // Friday 17:55 Kyiv: 5 minutes on Friday, 10 on Monday morning.
    const friday = new Date('2030-03-08T15:55:00Z');
    await makeLead(handle.db, { assigned_to: agent.id, created_at: friday });
    now = new Date('2030-03-09T10:00:00Z');
    expect((await core.followups.run()).sla).toHaveLength(0);
    now = new Date('2030-03-11T07:09:00Z');
    expect((await core.followups.run()).sla).toHaveLength(0);
    now = new Date('2030-03-11T07:11:00Z');
    expect((await core.followups.run()).sla).toHaveLength(1);
  });

  it('a lead contacted in time is never alerted, and the card knows how long the first contact took', async () => {
    const core = coreWith({});
    const lead = await makeLead(handle.db, { assigned_to: agent.id });
    await core.leads.transition(agent, { leadId: lead.id, to: 'CONTACTED', expectedVersion: lead.version });
    at(HOUR);
    expect((await core.followups.run()).sla).toHaveLength(0);
    const card = await core.leads.card(agent, lead.id);
    expect(card.lead.first_contacted_at).toBeInstanceOf(Date);
    expect(card.lead.first_contacted_at!.getTime()).toBeGreaterThanOrEqual(lead.created_at.getTime());
  });

  it('FIRST_CONTACT_SLA_MINUTES=0 turns the alert off', async () => {
    const core = coreWith({ FIRST_CONTACT_SLA_MINUTES: '0' });
    await makeLead(handle.db, { assigned_to: agent.id, created_at: WED_10 });
    at(5 * HOUR);
    expect((await core.followups.run()).sla).toHaveLength(0);
  });
});

describe('the escalation ladder (issue 11)', () => {
  // Every hour counts: the rungs' own clock, not the working-hours walk (tested above).
  const allDay = { WORKING_HOURS: 'mon-sun 00:00-24:00' };

  it('climbs one rung at a time: owner, then managers after 2 h, then reassigned after 3 more, each once', async () => {
    const core = coreWith(allDay);
    await handle.db.updateTable('users').set({ is_available: true }).where('id', '=', other.id).execute();
    await handle.db.updateTable('users').set({ capacity: 1 }).where('id', '=', agent.id).execute();
    const lead = await makeLead(handle.db, { assigned_to: agent.id, created_at: WED_10 });
    at(16 * MIN);
    await core.followups.run();
    at(16 * MIN + 2 * HOUR - MIN);
    expect((await core.followups.run()).ladder).toEqual([]);
    at(16 * MIN + 2 * HOUR + MIN);
    expect((await core.followups.run()).ladder).toEqual([{ leadId: lead.id, cause: 'sla', rung: 2 }]);
    expect((await core.followups.run()).ladder).toEqual([]);
    expect(await messages('escalation')).toMatchObject([
      { recipient_user_id: manager.id, payload: { leadId: lead.id, rung: 2, cause: 'sla', ownerId: agent.id } },
    ]);

    at(16 * MIN + 5 * HOUR + 2 * MIN);
    expect((await core.followups.run()).ladder).toEqual([{ leadId: lead.id, cause: 'sla', rung: 3, toUserId: other.id }]);
    expect((await core.followups.run()).ladder).toEqual([]);
    const moved = await handle.db.selectFrom('leads').select('assigned_to').where('id', '=', lead.id).executeTakeFirstOrThrow();
    expect(moved.assigned_to).toBe(other.id);
    expect(await messages('lead_card')).toMatchObject([{ recipient_user_id: other.id, payload: { reason: 'escalated' } }]);
    expect((await messages('escalation')).at(-1)).toMatchObject({ recipient_user_id: agent.id, payload: { rung: 3, toUserId: other.id } });
    expect((await history(lead.id)).map((h) => [h.action, h.details])).toEqual([
      ['ESCALATED', { cause: 'sla', rung: 1, minutes: 15 }],
      ['ESCALATED', { cause: 'sla', rung: 2, hours: 2 }],
      ['ASSIGNED', { from_user_id: agent.id, to_user_id: other.id, by: 'escalation' }],
      ['ESCALATED', { cause: 'sla', rung: 3, hours: 3, to_user_id: other.id }],
    ]);
  });

  it('a stale lead climbs from its §10 alert, and any activity since the alert stops it', async () => {
    const core = coreWith(allDay);
    const idle = { stage: 'CONTACTED' as const, assigned_to: agent.id, last_activity_at: new Date(WED_10.getTime() - 8 * 24 * HOUR) };
    const left = await makeLead(handle.db, idle);
    const touched = await makeLead(handle.db, idle);
    await core.operations.raiseStaleAlerts(now);
    await core.notes.add(agent, { leadId: touched.id, body: 'Called, they are thinking' });
    at(2 * HOUR + MIN);
    expect((await core.followups.run()).ladder).toEqual([{ leadId: left.id, cause: 'stale', rung: 2 }]);
  });

  it('with the managers\' rung off, a lead is reassigned straight after the owner\'s alert and the reassign period', async () => {
    const core = coreWith({ ...allDay, ESCALATE_AFTER_HOURS: '0' });
    await handle.db.updateTable('users').set({ is_available: true }).where('id', '=', other.id).execute();
    const lead = await makeLead(handle.db, { assigned_to: agent.id, created_at: WED_10 });
    at(16 * MIN);
    await core.followups.run();
    at(16 * MIN + 3 * HOUR + MIN);
    expect((await core.followups.run()).ladder).toEqual([{ leadId: lead.id, cause: 'sla', rung: 3, toUserId: other.id }]);
    expect(await messages('escalation')).toMatchObject([{ recipient_user_id: agent.id }]);
  });

  it('nobody with room: the lead stays and the rung is tried again next run', async () => {
    const core = coreWith({ ...allDay, ESCALATE_AFTER_HOURS: '0' });
    const lead = await makeLead(handle.db, { assigned_to: agent.id, created_at: WED_10 });
    at(16 * MIN);
    await core.followups.run();
    at(4 * HOUR);
    expect((await core.followups.run()).ladder).toEqual([]);
    await handle.db.updateTable('users').set({ is_available: true }).where('id', '=', other.id).execute();
    expect((await core.followups.run()).ladder).toMatchObject([{ leadId: lead.id, rung: 3 }]);
  });

  it('two instances running the job at once climb each rung once', async () => {
    const a = coreWith(allDay);
    const b = coreWith(allDay);
    const lead = await makeLead(handle.db, { assigned_to: agent.id, created_at: WED_10 });
    at(16 * MIN);
    await Promise.all([a.followups.run(), b.followups.run(), a.followups.run()]);
    at(3 * HOUR);
    await Promise.all([a.followups.run(), b.followups.run(), a.followups.run()]);
    expect(await messages('sla_breach')).toHaveLength(1);
    expect(await messages('escalation')).toHaveLength(1);
    const rungs = await handle.db.selectFrom('lead_escalations').select('rung').where('lead_id', '=', lead.id).orderBy('rung').execute();
    expect(rungs.map((r) => r.rung)).toEqual([1, 2]);
  });
});

describe('waiting leads are picked up (issue 11, §4)', () => {
  it('when someone comes back with /on, the oldest unassigned leads become theirs and they are told', async () => {
    const core = coreWith({});
    await handle.db.updateTable('users').set({ is_available: false }).where('id', '=', agent.id).execute();
    const older = await makeLead(handle.db, { created_at: new Date(WED_10.getTime() - HOUR) });
    const newer = await makeLead(handle.db, { created_at: WED_10 });
    await handle.db.updateTable('users').set({ capacity: 1 }).where('id', '=', agent.id).execute();

    await core.users.setAvailability(agent, true);

    const leads = await handle.db.selectFrom('leads').select(['id', 'assigned_to']).orderBy('id').execute();
    expect(leads).toEqual([{ id: older.id, assigned_to: agent.id }, { id: newer.id, assigned_to: null }]);
    expect(await messages('lead_card')).toMatchObject([{ recipient_user_id: agent.id, lead_id: older.id, payload: { reason: 'picked_up' } }]);
    expect(await history(older.id)).toMatchObject([{ action: 'ASSIGNED', details: { by: 'pickup', to_user_id: agent.id } }]);
  });

  it('capacity freed by a Lost is picked up by the next run', async () => {
    const core = coreWith({ FIRST_CONTACT_SLA_MINUTES: '0' });
    await handle.db.updateTable('users').set({ capacity: 1 }).where('id', '=', agent.id).execute();
    const mine = await makeLead(handle.db, { assigned_to: agent.id });
    const waiting = await makeLead(handle.db);
    await core.leads.markLost(agent, { leadId: mine.id, expectedVersion: mine.version, reason: { text: 'No budget' } });
    expect((await core.followups.run()).pickedUp).toEqual([{ leadId: waiting.id, userId: agent.id }]);
  });
});

describe('daily digest (issue 11)', () => {
  it('is queued once a working day at the person\'s local time, never on a weekend or when turned off', async () => {
    const core = coreWith({});
    now = new Date('2030-03-06T06:59:00Z');
    expect((await core.followups.run()).digests).toEqual([]);
    now = new Date('2030-03-06T07:01:00Z');
    expect((await core.followups.run()).digests.sort()).toEqual([agent.id, other.id, manager.id].sort());
    expect((await core.followups.run()).digests).toEqual([]);
    await core.followups.setDigest(agent, { enabled: false });
    await core.followups.setDigest(manager, { enabled: true, minutes: 10 * 60 });
    now = new Date('2030-03-07T07:01:00Z');
    expect((await core.followups.run()).digests).toEqual([other.id]);
    now = new Date('2030-03-07T08:01:00Z');
    expect((await core.followups.run()).digests).toEqual([manager.id]);
    now = new Date('2030-03-09T07:30:00Z');
    expect((await core.followups.run()).digests).toEqual([]);
    expect(await messages('digest')).toHaveLength(5);
  });

  it('holds the person\'s new leads, reminders due today, stale and SLA-breached leads', async () => {
    const core = coreWith({ FIRST_CONTACT_SLA_MINUTES: '15' });
    now = new Date();
    const fresh = await makeLead(handle.db, { assigned_to: agent.id, full_name: 'Fresh' });
    const late = await makeLead(handle.db, { assigned_to: agent.id, full_name: 'Late', created_at: new Date(now.getTime() - 3 * 24 * HOUR) });
    const stale = await makeLead(handle.db, {
      assigned_to: agent.id, stage: 'QUALIFIED', full_name: 'Quiet', last_activity_at: new Date(now.getTime() - 9 * 24 * HOUR),
    });
    await makeLead(handle.db, { assigned_to: other.id, full_name: 'Not mine' });
    await handle.db.insertInto('lead_escalations').values({ lead_id: late.id, cause: 'sla', period: `sla:${late.id}`, rung: 1, owner_id: agent.id }).execute();
    await core.reminders.create(agent, { leadId: stale.id, when: { preset: 'm15' }, body: 'Ask about the budget' });

    const digest = await core.followups.digest(agent);
    expect(digest.newLeads.map((l) => l.id).sort()).toEqual([fresh.id, late.id].sort());
    expect(digest.slaBreached.map((l) => l.id)).toEqual([late.id]);
    expect(digest.stale.map((l) => l.id)).toEqual([stale.id]);
    expect(digest.reminders).toMatchObject([{ leadId: stale.id, body: 'Ask about the budget' }]);
    expect(digest.dealsWaiting).toEqual([]);
    const managers = await core.followups.digest(manager);
    // Supervisors see the team's: NEW leads of the last day (the old one is in its SLA list).
    expect(managers.newLeads.map((l) => l.full_name).sort()).toEqual(['Fresh', 'Not mine']);
    expect(managers.slaBreached.map((l) => l.id)).toEqual([late.id]);
  });
});
