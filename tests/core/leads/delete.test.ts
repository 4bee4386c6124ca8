import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import {
  DuplicateLeadError, ForbiddenError, LeadChangedError, NotFoundError, ValidationError,
} from '../../../core/errors.js';
import { countOpenLeads } from '../../../core/leads/assignment.service.js';
import { deleteLead, listDeletedLeads, restoreLead } from '../../../core/leads/lead-deletion.service.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { getLead, listLeadsForUser } from '../../../core/leads/lead.repository.js';
import { createLead } from '../../../core/leads/lead.service.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });

const rawLead = (id: number) => h.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('deleting a lead (§6)', () => {
  it('sets is_deleted, deleted_at and deleted_by, bumps the version and writes DELETED history', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await makeLead(h.db);
    const deleted = await deleteLead(h.db, { leadId: lead.id, actor: admin, expectedVersion: lead.version });
    expect(deleted).toMatchObject({ is_deleted: true, deleted_by: admin.id, version: lead.version + 1 });
    expect(deleted.deleted_at).toBeInstanceOf(Date);
    const { items } = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(items[0]).toMatchObject({ action: 'DELETED', actor_user_id: admin.id, details: { stage: 'NEW' } });
  });

  it('hides the lead from every normal read and from its assignee\'s load', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    expect(await countOpenLeads(h.db, agent.id)).toBe(1);
    await deleteLead(h.db, { leadId: lead.id, actor: admin });
    await expect(getLead(h.db, lead.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listLeadsForUser(h.db, agent)).items).toEqual([]);
    expect((await listLeadsForUser(h.db, admin, { limit: 50 })).items.map((l) => l.id)).not.toContain(lead.id);
    expect(await countOpenLeads(h.db, agent.id)).toBe(0);
  });

  it('refuses managers and agents with ForbiddenError and deletes nothing', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    for (const actor of [agent, await makeUser(h.db, { role: 'manager' })]) {
      await expect(deleteLead(h.db, { leadId: lead.id, actor })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await rawLead(lead.id)).is_deleted).toBe(false);
  });

  it('refuses a stale card and a lead that is already deleted', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await makeLead(h.db);
    await expect(deleteLead(h.db, { leadId: lead.id, actor: admin, expectedVersion: lead.version + 1 }))
      .rejects.toBeInstanceOf(LeadChangedError);
    await deleteLead(h.db, { leadId: lead.id, actor: admin });
    await expect(deleteLead(h.db, { leadId: lead.id, actor: admin })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('restoring a lead (§6)', () => {
  it('brings it back as it was, with RESTORED history and a new version', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED' });
    const deleted = await deleteLead(h.db, { leadId: lead.id, actor: admin });
    const restored = await restoreLead(h.db, { leadId: lead.id, actor: admin });
    expect(restored).toMatchObject({
      is_deleted: false, deleted_at: null, deleted_by: null, stage: 'CONTACTED', assigned_to: agent.id,
      version: deleted.version + 1,
    });
    expect((await getLead(h.db, lead.id)).id).toBe(lead.id);
    const { items } = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(items.map((i) => i.action)).toEqual(['RESTORED', 'DELETED']);
  });

  it('refuses while a live lead holds the same email, naming it, and leaves the lead deleted', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const old = await createLead(h.db, { source: 'WEB', email: 'twice@example.com' });
    await deleteLead(h.db, { leadId: old.id, actor: admin });
    const fresh = await createLead(h.db, { source: 'WEB', email: 'Twice@example.com' });
    const error = await restoreLead(h.db, { leadId: old.id, actor: admin }).catch((e) => e);
    expect(error).toBeInstanceOf(DuplicateLeadError);
    expect(error.existingLeadId).toBe(fresh.id);
    expect((await rawLead(old.id)).is_deleted).toBe(true);
  });

  it('refuses the same phone too', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const old = await makeLead(h.db, { phone: '+380501112233', email: null });
    await deleteLead(h.db, { leadId: old.id, actor: admin });
    const fresh = await makeLead(h.db, { phone: '+380501112233', email: null });
    await expect(restoreLead(h.db, { leadId: old.id, actor: admin })).rejects.toMatchObject({ existingLeadId: fresh.id });
  });

  it('refuses non-admins, and tells a second restore that the lead changed', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await makeLead(h.db);
    await deleteLead(h.db, { leadId: lead.id, actor: admin });
    await expect(restoreLead(h.db, { leadId: lead.id, actor: await makeUser(h.db, { role: 'manager' }) }))
      .rejects.toBeInstanceOf(ForbiddenError);
    await restoreLead(h.db, { leadId: lead.id, actor: admin });
    await expect(restoreLead(h.db, { leadId: lead.id, actor: admin })).rejects.toBeInstanceOf(LeadChangedError);
    await expect(restoreLead(h.db, { leadId: 999_999, actor: admin })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('listing deleted leads (§6)', () => {
  it('pages with an opaque keyset cursor, most recently deleted first, naming who deleted each', async () => {
    const admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
    const before = new Set((await listDeletedLeads(h.db, admin, { limit: 50 })).items.map((l) => l.id));
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const lead = await makeLead(h.db);
      await deleteLead(h.db, { leadId: lead.id, actor: admin });
      ids.push(lead.id);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listDeletedLeads(h.db, admin, { cursor, limit: 2 });
      expect(page.limit).toBe(2);
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.hasNext).toBe(page.nextCursor !== null);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    const mine = seen.filter((id) => !before.has(id));
    expect(mine).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    const first = (await listDeletedLeads(h.db, admin, { limit: 1 })).items[0]!;
    expect(first).toMatchObject({ id: ids[4], deleted_by_name: 'Ada Admin' });
  });

  it('is for admins only and refuses a cursor it did not issue', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    await expect(listDeletedLeads(h.db, await makeUser(h.db, { role: 'manager' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listDeletedLeads(h.db, admin, { cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(ValidationError);
  });
});
