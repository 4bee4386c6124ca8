import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { ForbiddenError, InvalidTransitionError, LeadChangedError, NotFoundError, ReasonRequiredError } from '../../../core/errors.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { availableActions, changeLeadStage, rollbackStage, transitionStage } from '../../../core/leads/cold-pipeline.service.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });

const past = new Date('2026-01-01T00:00:00Z');

describe('stage transitions (§3)', () => {
  it('moves NEW → CONTACTED, bumps the version, touches activity and writes history', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id, last_activity_at: past });
    const moved = await transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: agent, expectedVersion: lead.version });
    expect(moved.stage).toBe('CONTACTED');
    expect(moved.version).toBe(lead.version + 1);
    expect(moved.last_activity_at.getTime()).toBeGreaterThan(past.getTime());
    const { items } = await listHistory(h.db, lead.id, { limit: 10, offset: 0 });
    expect(items[0]).toMatchObject({ action: 'STAGE_CHANGED', from_stage: 'NEW', to_stage: 'CONTACTED', actor_user_id: agent.id });
  });

  it('refuses NEW → QUALIFIED with "Expected CONTACTED" and changes nothing', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(transitionStage(h.db, { leadId: lead.id, to: 'QUALIFIED', actor: agent }))
      .rejects.toThrow('Expected CONTACTED');
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
    expect((await listHistory(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('records the reason when a lead is lost, and refuses LOST without one', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(transitionStage(h.db, { leadId: lead.id, to: 'LOST', actor: agent })).rejects.toBeInstanceOf(ReasonRequiredError);
    const lost = await transitionStage(h.db, { leadId: lead.id, to: 'LOST', actor: agent, reason: 'No <b>budget</b>' });
    expect(lost).toMatchObject({ stage: 'LOST', lost_reason: 'No budget' });
    await expect(transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: agent }))
      .rejects.toBeInstanceOf(InvalidTransitionError);
  });

  it("refuses an agent acting on another agent's lead", async () => {
    const owner = await makeUser(h.db);
    const other = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: owner.id });
    await expect(transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: other })).rejects.toBeInstanceOf(ForbiddenError);
    expect(availableActions(lead, other)).toEqual([]);
  });

  it('refuses users whose access is pending or inactive, even on their own lead', async () => {
    const pending = await makeUser(h.db, { status: 'inactive' });
    const lead = await makeLead(h.db, { assigned_to: pending.id });
    await expect(transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: pending })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets a manager move any lead, and reports a missing or deleted lead as not found', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db);
    await expect(transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: manager })).resolves.toMatchObject({ stage: 'CONTACTED' });
    const deleted = await makeLead(h.db, { is_deleted: true });
    await expect(transitionStage(h.db, { leadId: deleted.id, to: 'CONTACTED', actor: manager })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when the card is stale (version moved on), refuses with LeadChangedError', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: agent, expectedVersion: lead.version });
    await expect(transitionStage(h.db, { leadId: lead.id, to: 'QUALIFIED', actor: agent, expectedVersion: lead.version }))
      .rejects.toBeInstanceOf(LeadChangedError);
  });

  it('when two people confirm the same move at once, exactly one applies', async () => {
    const agent = await makeUser(h.db);
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const actors = [agent, manager, agent];
    const results = await Promise.allSettled(actors.map((actor) =>
      changeLeadStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor, expectedVersion: lead.version })));
    const applied = results.flatMap((r, i) => (r.status === 'fulfilled' && !r.value.replayed ? [actors[i]!] : []));
    expect(applied).toHaveLength(1);
    results.forEach((r, i) => {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(LeadChangedError);
      // Only the winner's own second tap is a replay; the other person is told the lead changed.
      else if (r.value.replayed) expect(actors[i]).toBe(applied[0]);
    });
    expect(results.some((r, i) => r.status === 'rejected' && actors[i] !== applied[0])).toBe(true);
    const history = await listHistory(h.db, lead.id, { limit: 10, offset: 0 });
    expect(history.items.filter((i) => i.action === 'STAGE_CHANGED')).toHaveLength(1);
    expect((await getLead(h.db, lead.id)).version).toBe(lead.version + 1);
  });

  it('without a version (the API), concurrent moves are judged one after another: one applies, the rest find it moved', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db, { assigned_to: manager.id });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () =>
      changeLeadStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: manager })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InvalidTransitionError);
    const history = await listHistory(h.db, lead.id, { limit: 10, offset: 0 });
    expect(history.items.filter((i) => i.action === 'STAGE_CHANGED')).toHaveLength(1);
    expect(await getLead(h.db, lead.id)).toMatchObject({ stage: 'CONTACTED', version: lead.version + 1 });
  });

  it("tells the assignee when someone else moves their lead, in the change's own transaction", async () => {
    const agent = await makeUser(h.db);
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await changeLeadStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: manager, expectedVersion: lead.version });
    const notices = await h.db.selectFrom('notifications').select(['kind', 'lead_id']).where('lead_id', '=', lead.id).execute();
    expect(notices).toContainEqual({ kind: 'lead_changed', lead_id: lead.id });
    // Their own move tells nobody.
    const own = await makeLead(h.db, { assigned_to: agent.id });
    await changeLeadStage(h.db, { leadId: own.id, to: 'CONTACTED', actor: agent, expectedVersion: own.version });
    expect(await h.db.selectFrom('notifications').select('id').where('lead_id', '=', own.id).execute()).toEqual([]);
  });
});

describe('rollback (§3)', () => {
  it('lets a manager roll QUALIFIED back to CONTACTED with a reason, recorded in history', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const lead = await makeLead(h.db, { stage: 'QUALIFIED' });
    const back = await rollbackStage(h.db, { leadId: lead.id, actor: manager, reason: 'qualified too early' });
    expect(back.stage).toBe('CONTACTED');
    const { items } = await listHistory(h.db, lead.id, { limit: 1, offset: 0 });
    expect(items[0]).toMatchObject({ action: 'ROLLBACK', from_stage: 'QUALIFIED', to_stage: 'CONTACTED', reason: 'qualified too early' });
  });

  it('refuses agents, short reasons and NEW/terminal leads', async () => {
    const agent = await makeUser(h.db);
    const admin = await makeUser(h.db, { role: 'admin' });
    const lead = await makeLead(h.db, { stage: 'CONTACTED', assigned_to: agent.id });
    await expect(rollbackStage(h.db, { leadId: lead.id, actor: agent, reason: 'a long enough reason' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(rollbackStage(h.db, { leadId: lead.id, actor: admin, reason: 'short' })).rejects.toBeInstanceOf(ReasonRequiredError);
    for (const stage of ['NEW', 'TRANSFERRED', 'LOST'] as const) {
      const l = await makeLead(h.db, { stage });
      await expect(rollbackStage(h.db, { leadId: l.id, actor: admin, reason: 'a long enough reason' })).rejects.toBeInstanceOf(InvalidTransitionError);
    }
    expect((await getLead(h.db, lead.id)).stage).toBe('CONTACTED');
  });
});

describe('available quick actions', () => {
  it('offers the next stage, Lost, notes, attachments, edits and History; Rollback and Reassign to managers; Delete to admins', async () => {
    const agent = await makeUser(h.db);
    const manager = await makeUser(h.db, { role: 'manager' });
    const admin = await makeUser(h.db, { role: 'admin' });
    const fresh = await makeLead(h.db, { assigned_to: agent.id });
    expect(availableActions(fresh, agent)).toEqual(['contacted', 'lost', 'note', 'notes', 'attachment', 'edit', 'history', 'analyze']);
    const contacted = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED' });
    expect(availableActions(contacted, agent)).toEqual(['qualified', 'lost', 'note', 'notes', 'attachment', 'edit', 'history', 'analyze']);
    expect(availableActions(contacted, manager))
      .toEqual(['qualified', 'lost', 'rollback', 'reassign', 'note', 'notes', 'attachment', 'edit', 'history', 'analyze']);
    expect(availableActions(contacted, admin))
      .toEqual(['qualified', 'lost', 'rollback', 'reassign', 'note', 'notes', 'attachment', 'edit', 'history', 'analyze', 'delete']);
    const lost = await makeLead(h.db, { assigned_to: agent.id, stage: 'LOST' });
    expect(availableActions(lost, agent)).toEqual(['note', 'notes', 'attachment', 'history']);
  });
});
