import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { User } from '../../../core/database.js';
import {
  DuplicateLeadError, ForbiddenError, LeadChangedError, ValidationError,
} from '../../../core/errors.js';
import { updateLeadFields, type LeadFieldChanges } from '../../../core/leads/lead-fields.service.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
let agent: User;
beforeAll(async () => {
  h = await createTestDb();
  agent = await makeUser(h.db);
});
afterAll(async () => { await h.close(); });

const edit = (leadId: number, expectedVersion: number, changes: LeadFieldChanges, actor = agent) =>
  updateLeadFields(h.db, { leadId, actor, expectedVersion, changes });
const historyOf = async (leadId: number) => (await listHistory(h.db, leadId, { limit: 10, offset: 0 })).items;

describe('editing lead fields (§2, §4)', () => {
  it('saves sanitised values, bumps the version, touches activity and records {from, to} per field', async () => {
    const lead = await makeLead(h.db, {
      assigned_to: agent.id, company: 'Old Co', last_activity_at: new Date('2026-01-01T00:00:00Z'),
    });
    const { lead: after, changed } = await edit(lead.id, lead.version, {
      company: '  <b>Acme</b> &amp; Sons ', businessDomain: 'x'.repeat(300), painPoints: 'Slow onboarding',
    });
    expect(changed).toEqual(['company', 'businessDomain', 'painPoints']);
    expect(after).toMatchObject({ company: 'Acme & Sons', business_domain: 'x'.repeat(256), pain_points: 'Slow onboarding' });
    expect(after.version).toBe(lead.version + 1);
    expect(after.last_activity_at.getTime()).toBeGreaterThan(lead.last_activity_at.getTime());
    const [entry] = await historyOf(lead.id);
    expect(entry).toMatchObject({
      action: 'FIELDS_UPDATED', actor_user_id: agent.id,
      details: {
        company: { from: 'Old Co', to: 'Acme & Sons' },
        business_domain: { from: null, to: 'x'.repeat(256) },
        pain_points: { from: null, to: 'Slow onboarding' },
      },
    });
  });

  it('normalises a new phone to E.164 and an email to lower case, and keeps them unmasked in history', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, email: 'old@example.com' });
    const { lead: after } = await edit(lead.id, lead.version, { phone: '+38 (050) 111-22-33', email: ' New.Mail@Example.COM ' });
    expect(after).toMatchObject({ phone: '+380501112233', email: 'new.mail@example.com' });
    expect((await historyOf(lead.id))[0]!.details).toEqual({
      phone: { from: null, to: '+380501112233' }, email: { from: 'old@example.com', to: 'new.mail@example.com' },
    });
  });

  it('reads a phone typed without a country code in the default country', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const { lead: after } = await updateLeadFields(h.db, {
      leadId: lead.id, actor: agent, expectedVersion: lead.version, changes: { phone: '093 123 45 68' }, defaultCountry: 'UA',
    });
    expect(after.phone).toBe('+380931234568');
  });

  it('edits a lead whose only contact is an unverified phone; a real phone replaces the unverified text', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, email: null, phone_unverified: '093 123 45 69' });
    const { lead: named } = await edit(lead.id, lead.version, { company: 'Acme' });
    expect(named).toMatchObject({ company: 'Acme', phone_unverified: '093 123 45 69' });
    const { lead: fixed, changed } = await edit(named.id, named.version, { phone: '+380931234569' });
    expect(changed).toEqual(['phone']);
    expect(fixed).toMatchObject({ phone: '+380931234569', phone_unverified: null });
    expect((await historyOf(lead.id))[0]!.details).toEqual({
      phone: { from: null, to: '+380931234569' }, phone_unverified: { from: '093 123 45 69', to: null },
    });
  });

  it('clearing the phone also clears its unverified text, and needs another contact', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, email: null, phone_unverified: '093 123 45 70' });
    await expect(edit(lead.id, lead.version, { phone: null })).rejects.toMatchObject({ field: 'contact' });
    const { lead: after, changed } = await edit(lead.id, lead.version, { phone: null, email: 'olena@example.com' });
    expect(changed).toEqual(['phone', 'email']);
    expect(after).toMatchObject({ phone: null, phone_unverified: null, email: 'olena@example.com' });
  });

  it('clears a field with null or an empty string', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, company: 'Acme', position: 'CTO', phone: '+380501112244' });
    const { lead: after } = await edit(lead.id, lead.version, { company: null, position: '', email: null });
    expect(after).toMatchObject({ company: null, position: null, email: null, phone: '+380501112244' });
  });

  it('changes nothing when the values are the ones already saved', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, company: 'Acme' });
    const result = await edit(lead.id, lead.version, { company: ' Acme ', email: lead.email!.toUpperCase() });
    expect(result.changed).toEqual([]);
    expect((await getLead(h.db, lead.id)).version).toBe(lead.version);
    expect(await historyOf(lead.id)).toHaveLength(0);
  });

  it('refuses an invalid phone or email with a ValidationError and writes nothing', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(edit(lead.id, lead.version, { phone: 'call me maybe' })).rejects.toMatchObject({ field: 'phone' });
    await expect(edit(lead.id, lead.version, { email: 'not-an-email' })).rejects.toMatchObject({ field: 'email' });
    await expect(edit(lead.id, lead.version, { email: 'x@y.z', company: 'Acme' })).rejects.toBeInstanceOf(ValidationError);
    expect(await getLead(h.db, lead.id)).toMatchObject({ version: lead.version, company: null, email: lead.email });
  });

  it('refuses clearing the last contact, except for a lead who wrote to the bot', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, phone: '+380501112255', email: null });
    await expect(edit(lead.id, lead.version, { phone: null })).rejects.toMatchObject({ field: 'contact' });
    const { lead: swapped } = await edit(lead.id, lead.version, { phone: null, email: 'swap@example.com' });
    expect(swapped).toMatchObject({ phone: null, email: 'swap@example.com' });

    const chat = await makeLead(h.db, { assigned_to: agent.id, source: 'MESSAGE' });
    await expect(edit(chat.id, chat.version, { email: null })).resolves.toMatchObject({ lead: { email: null, phone: null } });
  });

  it('refuses a phone or email another live lead holds, naming that lead; a deleted lead does not count', async () => {
    const other = await makeLead(h.db, { email: 'taken@example.com', phone: '+380501112266' });
    await makeLead(h.db, { email: 'gone@example.com', is_deleted: true, deleted_at: new Date() });
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(edit(lead.id, lead.version, { email: 'TAKEN@example.com' })).rejects.toMatchObject({
      constructor: DuplicateLeadError, existingLeadId: other.id,
    });
    await expect(edit(lead.id, lead.version, { phone: '+380 50 111 22 66' })).rejects.toMatchObject({ existingLeadId: other.id });
    await expect(edit(lead.id, lead.version, { email: 'gone@example.com' })).resolves.toMatchObject({ changed: ['email'] });
  });

  it('when a concurrent edit commits the same email after our check, refuses it as a duplicate, not a database error', async () => {
    const first = await makeLead(h.db, { assigned_to: agent.id });
    const second = await makeLead(h.db, { assigned_to: agent.id });
    let late: Promise<unknown> = Promise.resolve();
    // The first edit's transaction stays open while the second one starts: on
    // Postgres the second passes the duplicate check and then waits on the unique index.
    await h.db.transaction().execute(async (trx) => {
      await updateLeadFields(trx, { leadId: first.id, actor: agent, expectedVersion: first.version, changes: { email: 'race@example.com' } });
      late = edit(second.id, second.version, { email: 'race@example.com' }).then(() => 'saved', (err: unknown) => err);
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    const outcome = await late;
    expect(outcome).toBeInstanceOf(DuplicateLeadError);
    expect(outcome).toMatchObject({ existingLeadId: first.id });
    expect((await getLead(h.db, second.id)).email).toBe(second.email);
  });

  it('inside a caller transaction, a duplicate leaves the transaction usable', async () => {
    const holder = await makeLead(h.db, { email: 'held@example.com' });
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const count = await h.db.transaction().execute(async (trx) => {
      await expect(updateLeadFields(trx, { leadId: lead.id, actor: agent, expectedVersion: lead.version, changes: { email: 'held@example.com' } }))
        .rejects.toMatchObject({ existingLeadId: holder.id });
      return trx.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    });
    expect(Number(count.n)).toBeGreaterThan(0);
  });

  it("refuses an agent editing someone else's lead, and any edit of a closed lead", async () => {
    const lead = await makeLead(h.db, { assigned_to: (await makeUser(h.db)).id });
    await expect(edit(lead.id, lead.version, { company: 'Mine now' })).rejects.toBeInstanceOf(ForbiddenError);
    const manager = await makeUser(h.db, { role: 'manager' });
    await expect(edit(lead.id, lead.version, { company: 'Fixed' }, manager)).resolves.toMatchObject({ lead: { company: 'Fixed' } });
    const lost = await makeLead(h.db, { assigned_to: agent.id, stage: 'LOST', lost_reason: 'Spam' });
    await expect(edit(lost.id, lost.version, { company: 'Acme' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses an edit made on an older version of the lead and writes nothing', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await edit(lead.id, lead.version, { company: 'First' });
    await expect(edit(lead.id, lead.version, { company: 'Second' })).rejects.toBeInstanceOf(LeadChangedError);
    expect((await getLead(h.db, lead.id)).company).toBe('First');
    expect(await historyOf(lead.id)).toHaveLength(1);
  });

  it('refuses an empty or unknown change', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(edit(lead.id, lead.version, {})).rejects.toMatchObject({ field: 'changes' });
    await expect(edit(lead.id, lead.version, { stage: 'LOST' } as LeadFieldChanges)).rejects.toMatchObject({ field: 'changes' });
  });
});
