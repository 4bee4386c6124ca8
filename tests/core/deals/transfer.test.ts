import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { User } from '../../../core/database.js';
import {
  ForbiddenError, InactiveAssigneeError, LeadChangedError, NotFoundError, TransferError, ValidationError,
} from '../../../core/errors.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { dealTestCore, qualifiedLead } from './deal-test-core.js';

const SALES_CHAT = -1001234567890;

describe('transfer to sales (§8)', () => {
  let h: DbHandle;
  const store = createTestStore();
  let t: ReturnType<typeof dealTestCore>;
  let agent: User;
  let other: User;
  let manager: User;
  let admin: User;

  beforeAll(async () => {
    h = await createTestDb();
    t = dealTestCore(h, store, { SALES_CHAT_ID: String(SALES_CHAT), DEFAULT_CURRENCY: 'EUR' });
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    other = await makeUser(h.db, { name: 'Bob Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
  });
  afterAll(async () => {
    await store.close();
    await h.close();
  });

  const refusalOf = async (p: Promise<unknown>) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransferError);
    return err as TransferError;
  };
  const outbox = (dealId: number) => h.db.selectFrom('notifications').select(['kind', 'chat_id', 'recipient_user_id', 'payload'])
    .where(sql<string>`payload->>'dealId'`, '=', String(dealId)).orderBy('id').execute();

  it('in one transaction: the deal in NEW for the assignee, the lead TRANSFERRED, history, cards for the owner and the sales chat', async () => {
    const lead = await qualifiedLead(h.db, agent);
    const counted = t.transfers.length;
    const { deal, lead: moved } = await t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version });
    expect(deal).toMatchObject({
      lead_id: lead.id, owner_id: agent.id, stage: 'NEW', currency: 'EUR', amount_minor: null, created_by: agent.id, version: 1,
    });
    expect(deal.created_at).toEqual(t.now());
    expect(moved).toMatchObject({ stage: 'TRANSFERRED', version: lead.version + 1 });
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.items[0]).toMatchObject({
      action: 'TRANSFERRED', from_stage: 'QUALIFIED', to_stage: 'TRANSFERRED', actor_user_id: agent.id,
      details: { deal_id: deal.id, owner_id: agent.id },
    });
    const dealHistory = await t.core.deals.history(agent, deal.id, { limit: 5, offset: 0 });
    expect(dealHistory.items.map((i) => i.action)).toEqual(['CREATED']);
    expect(await outbox(deal.id)).toEqual([
      { kind: 'deal_card', chat_id: agent.telegram_id, recipient_user_id: agent.id, payload: { dealId: deal.id, reason: 'transferred', byUserId: agent.id } },
      { kind: 'sales_chat_deal', chat_id: SALES_CHAT, recipient_user_id: null, payload: { dealId: deal.id } },
    ]);
    expect(t.transfers.slice(counted)).toEqual([{ result: 'success' }]);
  });

  it('names every failed gate, in order, changes nothing, and counts the refusal by its first reason', async () => {
    const cases = [
      { p: { stage: 'CONTACTED' as const }, refusals: ['not_qualified'] },
      { p: { ai_score: null, quality_tier: null }, refusals: ['not_analyzed'] },
      { p: { ai_score: 0.42 }, refusals: ['score_too_low'] },
      { p: { ai_score: 0.5999 }, refusals: ['score_too_low'] },
      { p: { business_domain: null }, refusals: ['no_domain'] },
      { p: { business_domain: '   ' }, refusals: ['no_domain'] },
      { p: { stage: 'NEW' as const, ai_score: 0.1, business_domain: null }, refusals: ['not_qualified', 'score_too_low', 'no_domain'] },
    ];
    for (const c of cases) {
      const lead = await qualifiedLead(h.db, agent, c.p);
      const counted = t.transfers.length;
      const err = await refusalOf(t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version }));
      expect(err.refusals).toEqual(c.refusals);
      expect(err).toMatchObject({ leadId: lead.id, minScore: 0.6, score: lead.ai_score, stage: lead.stage });
      expect(await getLead(h.db, lead.id)).toMatchObject({ stage: lead.stage, version: lead.version });
      expect(await h.db.selectFrom('deals').where('lead_id', '=', lead.id).execute()).toEqual([]);
      expect(t.transfers.slice(counted)).toEqual([{ result: 'failed', reason: c.refusals[0] }]);
    }
  });

  it('passes at exactly 0.6, and the gate check alone neither transfers nor counts a success', async () => {
    const lead = await qualifiedLead(h.db, agent, { ai_score: 0.6 });
    const counted = t.transfers.length;
    await t.core.deals.checkTransfer(agent, lead.id);
    expect(t.transfers.length).toBe(counted);
    const { deal } = await t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version });
    expect(deal.stage).toBe('NEW');
  });

  it('refuses TRANSFERRED and LOST leads: only QUALIFIED ones move', async () => {
    for (const stage of ['TRANSFERRED', 'LOST'] as const) {
      const lead = await qualifiedLead(h.db, agent, { stage });
      expect((await refusalOf(t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version }))).refusals)
        .toEqual(['not_qualified']);
    }
  });

  it('of two transfers of one lead exactly one wins; the other is told the lead changed', async () => {
    const lead = await qualifiedLead(h.db, agent);
    const results = await Promise.allSettled([
      t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version }),
      t.core.deals.transfer(manager, { leadId: lead.id, expectedVersion: lead.version }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(LeadChangedError);
    expect(await h.db.selectFrom('deals').where('lead_id', '=', lead.id).execute()).toHaveLength(1);
  });

  it('refuses a stale card and a deleted lead', async () => {
    const lead = await qualifiedLead(h.db, agent);
    await expect(t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version - 1 })).rejects.toBeInstanceOf(LeadChangedError);
    const gone = await qualifiedLead(h.db, agent, { is_deleted: true });
    await expect(t.core.deals.transfer(manager, { leadId: gone.id, expectedVersion: gone.version })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('an agent transfers only their own lead, to themselves; a manager may choose another owner', async () => {
    const lead = await qualifiedLead(h.db, other);
    await expect(t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version })).rejects.toBeInstanceOf(ForbiddenError);
    const own = await qualifiedLead(h.db, agent);
    await expect(t.core.deals.transfer(agent, { leadId: own.id, expectedVersion: own.version, ownerId: other.id }))
      .rejects.toBeInstanceOf(ForbiddenError);
    await expect(t.core.deals.ownerCandidates(agent)).rejects.toBeInstanceOf(ForbiddenError);

    const { deal } = await t.core.deals.transfer(manager, { leadId: lead.id, expectedVersion: lead.version, ownerId: agent.id });
    expect(deal.owner_id).toBe(agent.id);
    // The lead's assignee did not do it and does not own the deal: their lead_changed notice says it moved on.
    const notice = await h.db.selectFrom('notifications').select(['kind', 'payload']).where('recipient_user_id', '=', other.id)
      .where('lead_id', '=', lead.id).executeTakeFirstOrThrow();
    expect(notice.kind).toBe('lead_changed');
    expect(notice.payload).toMatchObject({ changes: [{ action: 'stage_changed', from: 'QUALIFIED', to: 'TRANSFERRED', byUserId: manager.id }] });
    expect((await t.core.deals.ownerCandidates(manager)).map((c) => c.user.id)).toEqual(expect.arrayContaining([agent.id, other.id, manager.id]));
  });

  it('an unassigned lead needs a chosen owner from an admin; owners must be active agents or managers', async () => {
    const lead = await qualifiedLead(h.db, null);
    await expect(t.core.deals.transfer(admin, { leadId: lead.id, expectedVersion: lead.version })).rejects.toBeInstanceOf(ValidationError);
    await expect(t.core.deals.transfer(admin, { leadId: lead.id, expectedVersion: lead.version, ownerId: admin.id }))
      .rejects.toBeInstanceOf(InactiveAssigneeError);
    const gone = await makeUser(h.db, { status: 'inactive' });
    await expect(t.core.deals.transfer(admin, { leadId: lead.id, expectedVersion: lead.version, ownerId: gone.id }))
      .rejects.toBeInstanceOf(InactiveAssigneeError);
    // A manager who transfers an unassigned lead owns the deal themselves.
    const { deal } = await t.core.deals.transfer(manager, { leadId: lead.id, expectedVersion: lead.version });
    expect(deal.owner_id).toBe(manager.id);
    expect(await getLead(h.db, lead.id)).toMatchObject({ stage: 'TRANSFERRED' });
  });

  it('frees the assignee\'s capacity: a transferred lead is no longer open', async () => {
    const lead = await qualifiedLead(h.db, agent);
    const loadOf = async () => (await t.core.deals.ownerCandidates(manager)).find((c) => c.user.id === agent.id)!.load;
    const before = await loadOf();
    await t.core.deals.transfer(agent, { leadId: lead.id, expectedVersion: lead.version });
    expect(await loadOf()).toBe(before - 1);
  });

  it('a lead card shows 💼 Transfer on QUALIFIED leads and the deal on the transferred one, to those who may see it', async () => {
    const lead = await qualifiedLead(h.db, agent);
    expect((await t.core.leads.card(agent, lead.id)).actions).toContain('transfer');
    const notYet = await makeLead(h.db, { stage: 'CONTACTED', assigned_to: agent.id });
    expect((await t.core.leads.card(agent, notYet.id)).actions).not.toContain('transfer');
    const { deal } = await t.core.deals.transfer(manager, { leadId: lead.id, expectedVersion: lead.version, ownerId: other.id });
    const asManager = await t.core.leads.card(manager, lead.id);
    expect(asManager).toMatchObject({ dealId: deal.id });
    expect(asManager.actions).toContain('deal');
    expect(asManager.actions).not.toContain('transfer');
    // The agent still holds the (TRANSFERRED) lead but not the deal: no way to it.
    const asAgent = await t.core.leads.card(agent, lead.id);
    expect(asAgent.dealId).toBeNull();
    expect(asAgent.actions).not.toContain('deal');
  });
});
