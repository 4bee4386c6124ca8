import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { Lead, User } from '../../../core/database.js';
import {
  DuplicateLeadError, ForbiddenError, LeadChangedError, UndoExpiredError,
} from '../../../core/errors.js';
import { deleteLead } from '../../../core/leads/lead-deletion.service.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { transitionStage } from '../../../core/leads/cold-pipeline.service.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { reassignLead } from '../../../core/leads/reassign.service.js';
import {
  UNDO_TTL_MS, lostUndoRecord, rememberUndo, undoLastAction,
} from '../../../core/leads/undo.service.js';
import type { KeyValueStore } from '../../../core/store/kv-store.js';
import { createMemoryStore } from '../../../core/store/memory-store.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';

let h: DbHandle;
const store = createTestStore();
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => {
  await store.close();
  await h.close();
});

async function loseWithUndo(actor: User, lead: Lead, s: KeyValueStore = store) {
  const lost = await transitionStage(h.db, {
    leadId: lead.id, to: 'LOST', actor, reason: 'No budget', expectedVersion: lead.version,
  });
  return { lost, token: await rememberUndo(s, lostUndoRecord(lead, lost, actor.id)) };
}

async function reassignWithUndo(actor: User, lead: Lead, toUserId: number) {
  const r = await reassignLead(h.db, { leadId: lead.id, toUserId, actor, expectedVersion: lead.version });
  const token = await rememberUndo(store, {
    kind: 'reassign', leadId: lead.id, versionAfter: r.lead.version, actorId: actor.id, previous: { assignedTo: r.fromUserId },
  });
  return { ...r, token };
}

async function deleteWithUndo(admin: User, lead: Lead) {
  const deleted = await deleteLead(h.db, { leadId: lead.id, actor: admin });
  const token = await rememberUndo(store, {
    kind: 'delete', leadId: lead.id, versionAfter: deleted.version, actorId: admin.id, previous: null,
  });
  return { deleted, token };
}

describe('undo (§3–§6)', () => {
  it('gives a token that fits in callback data, kept for 30 seconds', async () => {
    const agent = await makeUser(h.db);
    const { token } = await loseWithUndo(agent, await makeLead(h.db, { assigned_to: agent.id }));
    expect(token).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(UNDO_TTL_MS).toBe(30_000);
  });

  it('undoes Lost: the previous stage and reason come back, UNDONE history, a new version, the token is spent', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED' });
    const { lost, token } = await loseWithUndo(agent, lead);
    const { kind, lead: back } = await undoLastAction(h.db, store, { token, actor: agent });
    expect(kind).toBe('lost');
    expect(back).toMatchObject({ stage: 'CONTACTED', lost_reason: null, version: lost.version + 1 });
    const { items } = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(items[0]).toMatchObject({
      action: 'UNDONE', actor_user_id: agent.id, from_stage: 'LOST', to_stage: 'CONTACTED', details: { undone: 'lost' },
    });
    await expect(undoLastAction(h.db, store, { token, actor: agent })).rejects.toBeInstanceOf(UndoExpiredError);
  });

  it('undoes a reassignment: the lead goes back, and both people are told', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const [a, b] = [await makeUser(h.db), await makeUser(h.db)];
    const lead = await makeLead(h.db, { assigned_to: a.id });
    const { token } = await reassignWithUndo(manager, lead, b.id);
    const { lead: back } = await undoLastAction(h.db, store, { token, actor: manager });
    expect(back.assigned_to).toBe(a.id);
    const { items } = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(items[0]).toMatchObject({ action: 'UNDONE', details: { undone: 'reassign', from_user_id: b.id, to_user_id: a.id } });
    const queued = await h.db.selectFrom('notifications').select(['kind', 'recipient_user_id'])
      .where('lead_id', '=', lead.id).orderBy('id').execute();
    expect(queued).toEqual([
      { kind: 'lead_card', recipient_user_id: b.id },
      { kind: 'lead_reassigned_away', recipient_user_id: a.id },
      { kind: 'lead_card', recipient_user_id: a.id },
      { kind: 'lead_reassigned_away', recipient_user_id: b.id },
    ]);
  });

  it('undoes the assignment of an unassigned lead back to nobody', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const b = await makeUser(h.db);
    const lead = await makeLead(h.db);
    const { token } = await reassignWithUndo(manager, lead, b.id);
    expect((await undoLastAction(h.db, store, { token, actor: manager })).lead.assigned_to).toBeNull();
  });

  it('does not give the lead back to a previous assignee who is full now: the §4 rule picks the owner', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const a = await makeUser(h.db, { name: 'Olena', capacity: 1 });
    const b = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: a.id });
    const { token } = await reassignWithUndo(manager, lead, b.id);
    await makeLead(h.db, { assigned_to: a.id });
    const { lead: back } = await undoLastAction(h.db, store, { token, actor: manager });
    expect(back.assigned_to).not.toBe(a.id);
    expect(back.assigned_to).not.toBeNull();
    const [undone] = (await listHistory(h.db, lead.id, { limit: 1, offset: 0 })).items;
    expect(undone).toMatchObject({ action: 'UNDONE', details: { undone: 'reassign', by: 'capacity', to_user_id: back.assigned_to } });
  });

  it('does not give the lead back to a previous assignee who was deactivated meanwhile', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const a = await makeUser(h.db, { name: 'Ann' });
    const b = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: a.id });
    const { token } = await reassignWithUndo(manager, lead, b.id);
    await h.db.updateTable('users').set({ status: 'inactive' }).where('id', '=', a.id).execute();
    const { lead: back } = await undoLastAction(h.db, store, { token, actor: manager });
    expect(back.assigned_to).not.toBe(a.id);
  });

  it('undoing a Lost whose owner is full or gone now gives the lead to someone with room', async () => {
    const a = await makeUser(h.db, { capacity: 1 });
    const lead = await makeLead(h.db, { assigned_to: a.id, stage: 'CONTACTED' });
    const lost = await transitionStage(h.db, { leadId: lead.id, to: 'LOST', actor: a, reason: 'No budget', expectedVersion: lead.version });
    const token = await rememberUndo(store, lostUndoRecord(lead, lost, a.id));
    await makeLead(h.db, { assigned_to: a.id });
    const { lead: back } = await undoLastAction(h.db, store, { token, actor: a });
    expect(back.stage).toBe('CONTACTED');
    expect(back.assigned_to).not.toBe(a.id);
  });

  it('undoes a delete: the lead is live again', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await makeLead(h.db);
    const { deleted, token } = await deleteWithUndo(admin, lead);
    const { kind, lead: back } = await undoLastAction(h.db, store, { token, actor: admin });
    expect(kind).toBe('delete');
    expect(back).toMatchObject({ is_deleted: false, deleted_at: null, deleted_by: null, version: deleted.version + 1 });
    expect((await getLead(h.db, lead.id)).id).toBe(lead.id);
  });

  it('refuses to undo a delete while a new live lead holds the email', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await makeLead(h.db, { email: 'undo-dup@example.com' });
    const { token } = await deleteWithUndo(admin, lead);
    const fresh = await makeLead(h.db, { email: 'undo-dup@example.com' });
    await expect(undoLastAction(h.db, store, { token, actor: admin }))
      .rejects.toEqual(expect.objectContaining({ constructor: DuplicateLeadError, existingLeadId: fresh.id }));
  });

  it('refuses someone else, but lets an admin undo', async () => {
    const agent = await makeUser(h.db);
    const manager = await makeUser(h.db, { role: 'manager' });
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const { token } = await loseWithUndo(agent, lead);
    for (const other of [manager, await makeUser(h.db)]) {
      await expect(undoLastAction(h.db, store, { token, actor: other })).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await getLead(h.db, lead.id)).stage).toBe('LOST');
    expect((await undoLastAction(h.db, store, { token, actor: admin })).lead.stage).toBe('NEW');
  });

  it('refuses when the lead changed after the action', async () => {
    const [m1, m2] = [await makeUser(h.db, { role: 'manager' }), await makeUser(h.db, { role: 'manager' })];
    const [a, b, c] = [await makeUser(h.db), await makeUser(h.db), await makeUser(h.db)];
    const lead = await makeLead(h.db, { assigned_to: a.id });
    const { token, lead: moved } = await reassignWithUndo(m1, lead, b.id);
    await reassignLead(h.db, { leadId: lead.id, toUserId: c.id, actor: m2, expectedVersion: moved.version });
    await expect(undoLastAction(h.db, store, { token, actor: m1 })).rejects.toBeInstanceOf(LeadChangedError);
    expect((await getLead(h.db, lead.id)).assigned_to).toBe(c.id);
  });

  it('refuses after 30 seconds, and an unknown token, with UndoExpiredError', async () => {
    let now = 1_000_000;
    const clocked = createMemoryStore(() => now);
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const { token } = await loseWithUndo(agent, lead, clocked);
    now += UNDO_TTL_MS;
    const error = await undoLastAction(h.db, clocked, { token, actor: agent }).catch((e) => e);
    expect(error).toBeInstanceOf(UndoExpiredError);
    expect(error.message).toBe('Undo is no longer available');
    expect((await getLead(h.db, lead.id)).stage).toBe('LOST');
    await expect(undoLastAction(h.db, store, { token: 'AAAAAAAAAAAAAAAA', actor: agent }))
      .rejects.toBeInstanceOf(UndoExpiredError);
  });

  it('lets the shared store expire the record (a short TTL on the real store)', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const lost = await transitionStage(h.db, { leadId: lead.id, to: 'LOST', actor: agent, reason: 'x' });
    const token = await rememberUndo(store, lostUndoRecord(lead, lost, agent.id), { ttlMs: 50 });
    await new Promise((r) => setTimeout(r, 120));
    await expect(undoLastAction(h.db, store, { token, actor: agent })).rejects.toBeInstanceOf(UndoExpiredError);
  });

  it('when two undo taps race, the lead is reverted once', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const { lost, token } = await loseWithUndo(agent, lead);
    const results = await Promise.allSettled([1, 2].map(() => undoLastAction(h.db, store, { token, actor: agent })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await getLead(h.db, lead.id)).version).toBe(lost.version + 1);
    const undone = (await listHistory(h.db, lead.id, { limit: 10, offset: 0 })).items.filter((i) => i.action === 'UNDONE');
    expect(undone).toHaveLength(1);
  });
});
