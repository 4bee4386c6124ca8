import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import type { Database, Lead, NewLead, User } from '../../core/database.js';
import { raiseStaleAlerts } from '../../core/leads/stale-leads.service.js';
import { makeLead, makeUser } from '../support/factories.js';
import { createTestDb } from '../support/test-db.js';

const DAY = 86_400_000;
const NOW = new Date('2030-03-01T12:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY);
const PERIOD = { staleAfterDays: 7, maxAlerts: 10 };

let handle: DbHandle;
let db: Kysely<Database>;
let agent: User;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(async () => handle.close());
beforeEach(async () => {
  await sql`truncate notifications, stale_alerts, lead_history, lead_notes, leads, users restart identity cascade`.execute(db);
  agent = await makeUser(db);
});

/** A lead of `agent`'s whose last activity was `idleDays` before NOW. */
function idleLead(idleDays: number, p: Partial<NewLead> = {}): Promise<Lead> {
  return makeLead(db, { stage: 'CONTACTED', assigned_to: agent.id, last_activity_at: at(-idleDays), ...p });
}
const alertedIds = (results: { leadId: number; status: string }[]) =>
  results.filter((r) => r.status === 'alerted').map((r) => r.leadId);

describe('raiseStaleAlerts (§10)', () => {
  it('alerts only CONTACTED and QUALIFIED leads that are assigned, live and idle longer than the period', async () => {
    const contacted = await idleLead(8);
    const qualified = await idleLead(9, { stage: 'QUALIFIED' });
    await idleLead(8, { stage: 'NEW' });
    await idleLead(8, { stage: 'TRANSFERRED' });
    await idleLead(8, { stage: 'LOST', lost_reason: 'no budget' });
    await idleLead(8, { assigned_to: null });
    await idleLead(8, { is_deleted: true, deleted_at: NOW });
    await idleLead(6.9);

    const results = await raiseStaleAlerts(db, { ...PERIOD, now: NOW });

    expect(alertedIds(results).sort()).toEqual([contacted.id, qualified.id].sort());
  });

  it('raises at most maxAlerts per run, oldest activity first', async () => {
    const leads = [];
    for (const days of [8, 12, 10, 9, 11]) leads.push(await idleLead(days));

    const results = await raiseStaleAlerts(db, { ...PERIOD, maxAlerts: 3, now: NOW });

    expect(alertedIds(results)).toEqual([leads[1]!.id, leads[4]!.id, leads[2]!.id]);
  });

  it('writes a NURTURE history row and queues a stale_alert for the assignee, without touching last_activity_at', async () => {
    const lead = await idleLead(9.5, { ai_score: 0.42 });

    const [result] = await raiseStaleAlerts(db, { ...PERIOD, now: NOW });

    expect(result).toMatchObject({ leadId: lead.id, userId: agent.id, status: 'alerted', days: 9 });
    const history = await db.selectFrom('lead_history').selectAll().where('lead_id', '=', lead.id).execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'NURTURE', actor_user_id: null, details: { days: 9 } });
    const notes = await db.selectFrom('notifications').selectAll().execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      kind: 'stale_alert', recipient_user_id: agent.id, lead_id: lead.id, status: 'pending', payload: { days: 9, score: 0.42 },
    });
    const after = await db.selectFrom('leads').select('last_activity_at').where('id', '=', lead.id).executeTakeFirstOrThrow();
    expect(after.last_activity_at).toEqual(lead.last_activity_at);
  });

  it('when run again right after, or within the next period, alerts nothing', async () => {
    await idleLead(8);
    await raiseStaleAlerts(db, { ...PERIOD, now: NOW });

    expect(await raiseStaleAlerts(db, { ...PERIOD, now: NOW })).toEqual([]);
    expect(await raiseStaleAlerts(db, { ...PERIOD, now: at(6.9) })).toEqual([]);
    expect(await countRows('stale_alerts')).toBe(1);
  });

  it('when the lead stays idle for another full period, alerts it again', async () => {
    const lead = await idleLead(8);
    await raiseStaleAlerts(db, { ...PERIOD, now: NOW });

    const results = await raiseStaleAlerts(db, { ...PERIOD, now: at(7.01) });

    expect(alertedIds(results)).toEqual([lead.id]);
    expect(results[0]!.days).toBe(15);
    expect(await countRows('notifications')).toBe(2);
  });

  it('when there is activity after an alert, the lead is fresh until it has been idle a full period again', async () => {
    const lead = await idleLead(8);
    await raiseStaleAlerts(db, { ...PERIOD, now: NOW });
    await db.updateTable('leads').set({ last_activity_at: at(1) }).where('id', '=', lead.id).execute();

    expect(await raiseStaleAlerts(db, { ...PERIOD, now: at(7.5) })).toEqual([]);
    const results = await raiseStaleAlerts(db, { ...PERIOD, now: at(8.5) });

    expect(alertedIds(results)).toEqual([lead.id]);
    expect(results[0]!.days).toBe(7);
  });

  it('when two runs race, each lead is alerted exactly once', async () => {
    const leads = await Promise.all([8, 9, 10, 11].map((d) => idleLead(d)));

    const [a, b] = await Promise.all([
      raiseStaleAlerts(db, { ...PERIOD, now: NOW }),
      raiseStaleAlerts(db, { ...PERIOD, now: NOW }),
    ]);

    expect([...alertedIds(a), ...alertedIds(b)].sort()).toEqual(leads.map((l) => l.id).sort());
    expect(await countRows('stale_alerts')).toBe(4);
    expect(await countRows('notifications')).toBe(4);
    expect(await countRows('lead_history')).toBe(4);
  });

  it('when one alert fails, reports it and still alerts the others', async () => {
    const broken = await idleLead(10);
    const fine = await idleLead(9);
    await sql`create function fail_for_lead() returns trigger language plpgsql as $$
      begin if new.lead_id = ${sql.lit(broken.id)} then raise exception 'boom'; end if; return new; end $$`.execute(db);
    await sql`create trigger fail_stale before insert on stale_alerts for each row execute function fail_for_lead()`.execute(db);
    try {
      const results = await raiseStaleAlerts(db, { ...PERIOD, now: NOW });

      expect(results).toEqual([
        expect.objectContaining({ leadId: broken.id, status: 'skipped', reason: expect.stringMatching(/^error: .*boom/) }),
        expect.objectContaining({ leadId: fine.id, status: 'alerted' }),
      ]);
      expect(await countRows('lead_history')).toBe(1); // the failed item rolled back entirely
    } finally {
      await sql`drop trigger fail_stale on stale_alerts`.execute(db);
      await sql`drop function fail_for_lead()`.execute(db);
    }
  });
});

async function countRows(table: 'stale_alerts' | 'notifications' | 'lead_history'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
