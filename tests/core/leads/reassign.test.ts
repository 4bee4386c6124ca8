import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import {
  CapacityFullError, ForbiddenError, InactiveAssigneeError, LeadChangedError, NotFoundError, ValidationError,
} from '../../../core/errors.js';
import { countOpenLeads } from '../../../core/leads/assignment.service.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { listAssignableUsers, reassignLead } from '../../../core/leads/reassign.service.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });

const notificationsOf = (leadId: number) =>
  h.db.selectFrom('notifications').selectAll().where('lead_id', '=', leadId).orderBy('id').execute();

describe('listing who can take a lead (§4)', () => {
  it('lists active agents and managers with load counted from open, live leads, and no one else', async () => {
    const olena = await makeUser(h.db, { name: 'Olena', capacity: 3 });
    const mia = await makeUser(h.db, { role: 'manager', name: 'Mia', capacity: 5 });
    const admin = await makeUser(h.db, { role: 'admin' });
    const pending = await makeUser(h.db, { status: 'pending' });
    const inactive = await makeUser(h.db, { status: 'inactive' });
    const away = await makeUser(h.db, { isAvailable: false, name: 'Away' });
    await makeLead(h.db, { assigned_to: olena.id });
    await makeLead(h.db, { assigned_to: olena.id, stage: 'QUALIFIED' });
    await makeLead(h.db, { assigned_to: olena.id, stage: 'LOST', lost_reason: 'Spam' });
    await makeLead(h.db, { assigned_to: olena.id, is_deleted: true });
    await makeLead(h.db, { assigned_to: mia.id, stage: 'TRANSFERRED' });

    const list = await listAssignableUsers(h.db);
    const byId = new Map(list.map((p) => [p.user.id, p]));
    expect(byId.get(olena.id)).toMatchObject({ load: 2, capacity: 3, user: { full_name: 'Olena' } });
    expect(byId.get(mia.id)).toMatchObject({ load: 0, capacity: 5 });
    expect(byId.get(away.id)).toMatchObject({ load: 0 });
    for (const hidden of [admin, pending, inactive]) expect(byId.has(hidden.id)).toBe(false);
    expect(byId.get(olena.id)!.load).toBe(await countOpenLeads(h.db, olena.id));
  });
});

describe('reassigning a lead (§4)', () => {
  it('moves the lead, bumps the version, writes ASSIGNED history and tells both people', async () => {
    const [from, to] = [await makeUser(h.db), await makeUser(h.db)];
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db, { assigned_to: from.id });

    const result = await reassignLead(h.db, { leadId: lead.id, toUserId: to.id, actor: manager, expectedVersion: lead.version });
    expect(result.fromUserId).toBe(from.id);
    expect(result.toUser.id).toBe(to.id);
    expect(result.lead).toMatchObject({ assigned_to: to.id, version: lead.version + 1 });
    expect(result.lead.last_activity_at).toEqual(lead.last_activity_at);
    const { items } = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(items[0]).toMatchObject({
      action: 'ASSIGNED', actor_user_id: manager.id, details: { from_user_id: from.id, to_user_id: to.id, by: 'manual' },
    });
    expect((await notificationsOf(lead.id)).map((n) => [n.kind, n.recipient_user_id, n.payload])).toEqual([
      ['lead_card', to.id, { leadId: lead.id, reason: 'reassigned', byUserId: manager.id }],
      ['lead_reassigned_away', from.id, { leadId: lead.id, toUserId: to.id, byUserId: manager.id }],
    ]);
  });

  it('assigns an unassigned lead, and does not notify a manager about what they did themselves', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db);
    const { lead: updated } = await reassignLead(h.db, { leadId: lead.id, toUserId: manager.id, actor: manager });
    expect(updated.assigned_to).toBe(manager.id);
    expect(await notificationsOf(lead.id)).toEqual([]);
  });

  it('refuses an agent (even their own lead) with ForbiddenError and changes nothing', async () => {
    const agent = await makeUser(h.db);
    const other = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(reassignLead(h.db, { leadId: lead.id, toUserId: other.id, actor: agent }))
      .rejects.toBeInstanceOf(ForbiddenError);
    expect(await getLead(h.db, lead.id)).toMatchObject({ assigned_to: agent.id, version: lead.version });
    expect((await listHistory(h.db, lead.id, { limit: 5, offset: 0 })).total).toBe(0);
  });

  it('refuses a full target with their name, fresh load and capacity', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const olena = await makeUser(h.db, { name: 'Olena', capacity: 2 });
    await makeLead(h.db, { assigned_to: olena.id });
    await makeLead(h.db, { assigned_to: olena.id, stage: 'CONTACTED' });
    const lead = await makeLead(h.db);
    const error = await reassignLead(h.db, { leadId: lead.id, toUserId: olena.id, actor: manager }).catch((e) => e);
    expect(error).toBeInstanceOf(CapacityFullError);
    expect(error).toMatchObject({ userId: olena.id, load: 2, capacity: 2, message: 'Olena is full: 2/2' });
    expect((await getLead(h.db, lead.id)).assigned_to).toBeNull();
  });

  it('gives a closed lead to a full user: it adds nothing to their load', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const full = await makeUser(h.db, { capacity: 1 });
    await makeLead(h.db, { assigned_to: full.id });
    const lost = await makeLead(h.db, { stage: 'LOST', lost_reason: 'Spam' });
    const { lead } = await reassignLead(h.db, { leadId: lost.id, toUserId: full.id, actor: manager });
    expect(lead.assigned_to).toBe(full.id);
  });

  it('refuses pending, inactive and admin targets, and an unknown user', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db);
    for (const target of [
      await makeUser(h.db, { status: 'pending', name: 'Pat' }),
      await makeUser(h.db, { status: 'inactive', name: 'Ian' }),
      await makeUser(h.db, { role: 'admin', name: 'Ada' }),
    ]) {
      const error = await reassignLead(h.db, { leadId: lead.id, toUserId: target.id, actor: manager }).catch((e) => e);
      expect(error).toBeInstanceOf(InactiveAssigneeError);
      expect(error).toMatchObject({ userId: target.id, userName: target.full_name, status: target.status });
    }
    await expect(reassignLead(h.db, { leadId: lead.id, toUserId: 999_999, actor: manager }))
      .rejects.toBeInstanceOf(NotFoundError);
    expect((await getLead(h.db, lead.id)).version).toBe(lead.version);
  });

  it('refuses a stale card, the current assignee, and a deleted lead', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const [a, b] = [await makeUser(h.db), await makeUser(h.db)];
    const lead = await makeLead(h.db, { assigned_to: a.id });
    await expect(reassignLead(h.db, { leadId: lead.id, toUserId: b.id, actor: manager, expectedVersion: lead.version - 1 }))
      .rejects.toBeInstanceOf(LeadChangedError);
    await expect(reassignLead(h.db, { leadId: lead.id, toUserId: a.id, actor: manager }))
      .rejects.toBeInstanceOf(ValidationError);
    const deleted = await makeLead(h.db, { is_deleted: true });
    await expect(reassignLead(h.db, { leadId: deleted.id, toUserId: b.id, actor: manager }))
      .rejects.toBeInstanceOf(NotFoundError);
  });

  it('when two managers reassign the same card at once, exactly one wins', async () => {
    const [m1, m2] = [await makeUser(h.db, { role: 'manager' }), await makeUser(h.db, { role: 'manager' })];
    const [a, b, c] = [await makeUser(h.db), await makeUser(h.db), await makeUser(h.db)];
    const lead = await makeLead(h.db, { assigned_to: a.id });
    const results = await Promise.allSettled([
      reassignLead(h.db, { leadId: lead.id, toUserId: b.id, actor: m1, expectedVersion: lead.version }),
      reassignLead(h.db, { leadId: lead.id, toUserId: c.id, actor: m2, expectedVersion: lead.version }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(LeadChangedError);
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.items.filter((i) => i.action === 'ASSIGNED')).toHaveLength(1);
    expect((await getLead(h.db, lead.id)).version).toBe(lead.version + 1);
  });

  it('when two leads are given at once to someone with one free slot, only one gets it', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const target = await makeUser(h.db, { capacity: 1 });
    const [l1, l2] = [await makeLead(h.db), await makeLead(h.db)];
    const results = await Promise.allSettled([l1, l2].map((l) =>
      reassignLead(h.db, { leadId: l.id, toUserId: target.id, actor: manager })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(CapacityFullError);
    expect(await countOpenLeads(h.db, target.id)).toBe(1);
  });
});
