import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { DuplicateLeadError, ValidationError } from '../../../core/errors.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { pickAssignee } from '../../../core/leads/assignment.service.js';
import { createLead, recordRepeatInquiry } from '../../../core/leads/lead.service.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });
// Each test starts with no users, so assignment is predictable.
beforeEach(async () => {
  await h.db.deleteFrom('notifications').execute();
  await h.db.deleteFrom('lead_history').execute();
  await h.db.deleteFrom('lead_notes').execute();
  await h.db.deleteFrom('leads').execute();
  await h.db.deleteFrom('users').execute();
});

const countLeads = async () => Number((await h.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const notifications = () => h.db.selectFrom('notifications').selectAll().orderBy('id').execute();

describe('creating a lead (§2)', () => {
  it('stores the phone in E.164, the email lower-cased and free text without tags', async () => {
    const lead = await createLead(h.db, {
      source: 'WEB', fullName: '  Ivan <i>Petrov</i> ', phone: '+7 (999) 123-45-67', email: '  Ivan@Example.COM ',
      intent: '<script>alert(1)</script>Wants a <b>demo</b>', company: 'x'.repeat(2000),
      utm: { source: 'yandex', campaign: 'autumn' },
    });
    expect(lead).toMatchObject({
      full_name: 'Ivan Petrov', phone: '+79991234567', email: 'ivan@example.com', intent: 'Wants a demo',
      utm_source: 'yandex', utm_campaign: 'autumn', stage: 'NEW',
    });
    expect(lead.company).toHaveLength(1024);
  });

  it('refuses a lead with neither phone nor email, and a malformed phone or email, creating nothing', async () => {
    await expect(createLead(h.db, { source: 'WEB', fullName: 'No contact' })).rejects.toThrow(/contact/);
    await expect(createLead(h.db, { source: 'WEB', phone: 'call me maybe' })).rejects.toBeInstanceOf(ValidationError);
    await expect(createLead(h.db, { source: 'WEB', email: 'not-an-email' })).rejects.toBeInstanceOf(ValidationError);
    await expect(createLead(h.db, { source: 'NOPE' as never, email: 'a@b.co' })).rejects.toThrow(/source/);
    expect(await countLeads()).toBe(0);
  });

  it('reads a manual lead\'s phone typed without a country code in the default country', async () => {
    const lead = await createLead(h.db, { source: 'MANUAL', phone: '093 123 45 67' }, { defaultCountry: 'UA' });
    expect(lead.phone).toBe('+380931234567');
  });

  it('accepts typed phone text with at least 5 digits as the only contact, kept unverified', async () => {
    const lead = await createLead(h.db, { source: 'WEB', phoneUnverified: ' 093 <b>123</b> 45 67 ' });
    expect(lead).toMatchObject({ phone: null, email: null, phone_unverified: '093 123 45 67' });
    await expect(createLead(h.db, { source: 'WEB', phoneUnverified: '12-34' })).rejects.toMatchObject({ field: 'contact' });
  });

  it('drops the unverified text when a valid phone is there', async () => {
    const lead = await createLead(h.db, { source: 'WEB', phone: '+380501112299', phoneUnverified: '050 111' });
    expect(lead).toMatchObject({ phone: '+380501112299', phone_unverified: null });
  });

  it('writes a CREATED history row', async () => {
    const lead = await createLead(h.db, { source: 'REFERRAL', email: 'a@example.com' });
    const { items } = await listHistory(h.db, lead.id, { limit: 10, offset: 0 });
    expect(items.map((i) => i.action)).toEqual(['CREATED']);
  });
});

describe('duplicates (§4)', () => {
  it('refuses a second live lead with the same email in another case, naming the existing lead', async () => {
    const first = await createLead(h.db, { source: 'WEB', email: 'jane@example.com' });
    const error = await createLead(h.db, { source: 'WEB', email: 'JANE@example.com ' }).catch((e) => e);
    expect(error).toBeInstanceOf(DuplicateLeadError);
    expect(error.existingLeadId).toBe(first.id);
  });

  it('matches phones typed in different formats', async () => {
    const first = await createLead(h.db, { source: 'WEB', phone: '+1 (555) 010-0199' });
    await expect(createLead(h.db, { source: 'WEB', phone: '+15550100199', email: 'other@example.com' }))
      .rejects.toMatchObject({ existingLeadId: first.id });
  });

  it('ignores deleted leads', async () => {
    await makeLead(h.db, { email: 'gone@example.com', is_deleted: true });
    await expect(createLead(h.db, { source: 'WEB', email: 'gone@example.com' })).resolves.toMatchObject({ email: 'gone@example.com' });
  });

  it('when the same contact arrives many times at once, creates exactly one lead', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => createLead(h.db, { source: 'WEB', email: 'race@example.com' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const created = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: number }>;
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'DUPLICATE_LEAD', existingLeadId: created.value.id });
    }
    expect(await countLeads()).toBe(1);
  });

  it('records a repeat inquiry on the existing lead: activity touched, history, assignee told', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, last_activity_at: new Date('2026-01-01T00:00:00Z') });
    const after = await recordRepeatInquiry(h.db, lead.id, { summary: 'Sent the form again', formSourceId: null });
    expect(after.last_activity_at.getTime()).toBeGreaterThan(lead.last_activity_at.getTime());
    const { items } = await listHistory(h.db, lead.id, { limit: 1, offset: 0 });
    expect(items[0]).toMatchObject({ action: 'REPEAT_INQUIRY', reason: 'Sent the form again' });
    expect(await notifications()).toMatchObject([{ kind: 'repeat_inquiry', recipient_user_id: agent.id, lead_id: lead.id }]);
  });
});

describe('assignment by capacity (§4)', () => {
  it('gives the lead to the active agent with the most free capacity and queues the card for them', async () => {
    const busy = await makeUser(h.db, { capacity: 5 });
    const free = await makeUser(h.db, { capacity: 5 });
    await makeLead(h.db, { assigned_to: busy.id });
    await makeLead(h.db, { assigned_to: busy.id });
    const lead = await createLead(h.db, { source: 'WEB', email: 'new@example.com' });
    expect(lead.assigned_to).toBe(free.id);
    expect(await notifications()).toMatchObject([{ kind: 'lead_card', recipient_user_id: free.id, lead_id: lead.id }]);
    const { items } = await listHistory(h.db, lead.id, { limit: 10, offset: 0 });
    expect(items.map((i) => i.action).sort()).toEqual(['ASSIGNED', 'CREATED']);
  });

  it('counts only open, live leads as load', async () => {
    const a = await makeUser(h.db, { capacity: 2 });
    const b = await makeUser(h.db, { capacity: 2 });
    await makeLead(h.db, { assigned_to: a.id, stage: 'LOST' });
    await makeLead(h.db, { assigned_to: a.id, stage: 'TRANSFERRED' });
    await makeLead(h.db, { assigned_to: a.id, is_deleted: true });
    await makeLead(h.db, { assigned_to: b.id });
    expect((await createLead(h.db, { source: 'WEB', email: 'x@example.com' })).assigned_to).toBe(a.id);
  });

  it('breaks ties round-robin', async () => {
    const a = await makeUser(h.db, { capacity: 10 });
    const b = await makeUser(h.db, { capacity: 10 });
    const first = await createLead(h.db, { source: 'WEB', email: 'r1@example.com' });
    await h.db.updateTable('leads').set({ stage: 'LOST' }).where('id', '=', first.id).execute();
    const second = await createLead(h.db, { source: 'WEB', email: 'r2@example.com' });
    expect(new Set([first.assigned_to, second.assigned_to])).toEqual(new Set([a.id, b.id]));
  });

  it('skips pending, inactive, unavailable agents and managers', async () => {
    await makeUser(h.db, { status: 'pending' });
    await makeUser(h.db, { status: 'inactive' });
    await makeUser(h.db, { isAvailable: false });
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await createLead(h.db, { source: 'WEB', email: 'nobody@example.com' });
    expect(lead.assigned_to).toBeNull();
    expect(await notifications()).toMatchObject([{ kind: 'unassigned_lead', recipient_user_id: manager.id }]);
  });

  it('leaves the lead unassigned and tells every manager and admin when everyone is full', async () => {
    const agent = await makeUser(h.db, { capacity: 1 });
    await makeLead(h.db, { assigned_to: agent.id });
    const manager = await makeUser(h.db, { role: 'manager' });
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await createLead(h.db, { source: 'WEB', email: 'full@example.com' });
    expect(lead.assigned_to).toBeNull();
    const rows = await notifications();
    expect(rows.map((r) => [r.kind, r.recipient_user_id])).toEqual([['unassigned_lead', manager.id], ['unassigned_lead', admin.id]]);
  });

  it('never puts an agent over capacity when leads arrive at once', async () => {
    const agent = await makeUser(h.db, { capacity: 3 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => createLead(h.db, { source: 'WEB', email: `burst${i}@example.com` })));
    const assigned = await h.db.selectFrom('leads').select('id').where('assigned_to', '=', agent.id).execute();
    expect(assigned).toHaveLength(3);
    expect(await countLeads()).toBe(8);
  });
});

// Needs two live connections (PGlite runs one statement at a time, so the
// interleaving below cannot happen there).
describe.runIf(process.env.DATABASE_URL)('assignment racing a change of the agent', () => {
  it('does not give a lead to an agent deactivated while the lead was being assigned', async () => {
    await h.db.deleteFrom('notifications').execute();
    await h.db.deleteFrom('lead_history').execute();
    await h.db.deleteFrom('leads').execute();
    await h.db.deleteFrom('users').execute();
    const leaving = await makeUser(h.db, { capacity: 50 });
    let picked!: Promise<number | null>;
    await h.db.transaction().execute(async (deactivation) => {
      // Deactivation holds the agent's row; assignment ranks them as active (not yet
      // committed), skips the locked row, then waits for it — and must look again.
      await deactivation.updateTable('users').set({ status: 'inactive' }).where('id', '=', leaving.id).execute();
      picked = h.db.transaction().execute((assignment) => pickAssignee(assignment));
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(await picked).toBeNull();
  });
});
