import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle, KeyValueStore, Lead, User } from '../../../core/index.js';
import { makeLead } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { buildApiApp, type ApiHarness } from './api-harness.js';

// The sales side over the API (§8, §9): every endpoint's allowed path, its refusals by role, a
// request that does not match the schema, the §8 gate refusal body and the 409 of a changed deal.

let handle: DbHandle;
let store: KeyValueStore;
let h: ApiHarness;
type Caller = { user: User; token: string };
let agent: Caller;
let otherAgent: Caller;
let manager: Caller;
let admin: Caller;

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
  h = buildApiApp({ handle, store, env: { RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '1000' } });
  [agent, otherAgent, manager, admin] = await Promise.all([
    h.signIn('agent'), h.signIn('agent'), h.signIn('manager'), h.signIn('admin'),
  ]);
});
afterAll(async () => {
  await store.close();
  await handle.close();
});

/** A lead that passes every §8 gate, held by `owner`. */
const qualified = (owner: User, p: Partial<Lead> = {}) => makeLead(handle.db, {
  stage: 'QUALIFIED', ai_score: 0.72, quality_tier: 'WARM', business_domain: 'Logistics', company: 'Acme', assigned_to: owner.id, ...p,
});
/** A deal owned by `owner`, made over the API. */
async function dealOf(owner: Caller): Promise<any> {
  const lead = await qualified(owner.user);
  const res = await h.call(owner.token, 'POST', `/leads/${lead.id}/transfer`, {});
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.deal;
}

describe('POST /leads/{id}/transfer', () => {
  it('makes the deal for the assignee and moves the lead to TRANSFERRED', async () => {
    const lead = await qualified(agent.user);
    const res = await h.call(agent.token, 'POST', `/leads/${lead.id}/transfer`, { expected_version: lead.version });
    expect(res.status).toBe(201);
    expect(res.body.deal).toMatchObject({ lead_id: lead.id, owner_id: agent.user.id, stage: 'NEW', amount_minor: null });
    expect(res.body.lead).toMatchObject({ id: lead.id, stage: 'TRANSFERRED', version: lead.version + 1 });
  });

  it('refuses a lead that fails the gates with every failed condition named, and changes nothing', async () => {
    const lead = await makeLead(handle.db, { assigned_to: agent.user.id });
    const res = await h.call(agent.token, 'POST', `/leads/${lead.id}/transfer`, {});
    expect(res.status).toBe(422);
    expect(res.body).toStrictEqual({
      error: 'TRANSFER_REFUSED', message: expect.any(String), lead_id: lead.id,
      refusals: ['not_qualified', 'not_analyzed', 'no_domain'], score: null, min_score: 0.6,
    });
    const low = await qualified(agent.user, { ai_score: 0.42, business_domain: null });
    const refused = await h.call(agent.token, 'POST', `/leads/${low.id}/transfer`, {});
    expect(refused.body).toMatchObject({ error: 'TRANSFER_REFUSED', refusals: ['score_too_low', 'no_domain'], score: 0.42 });
    expect((await h.call(agent.token, 'GET', `/leads/${low.id}`)).body.lead.stage).toBe('QUALIFIED');
  });

  it('lets a manager choose the owner; an agent may not, nor transfer somebody else\'s lead', async () => {
    const lead = await qualified(agent.user);
    const byAgent = await h.call(agent.token, 'POST', `/leads/${lead.id}/transfer`, { owner_id: otherAgent.user.id });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body).toMatchObject({ error: 'FORBIDDEN', message: expect.any(String) });
    expect((await h.call(otherAgent.token, 'POST', `/leads/${lead.id}/transfer`, {})).status).toBe(403);
    const byManager = await h.call(manager.token, 'POST', `/leads/${lead.id}/transfer`, { owner_id: otherAgent.user.id });
    expect(byManager.status).toBe(201);
    expect(byManager.body.deal.owner_id).toBe(otherAgent.user.id);
  });

  it('answers 409 LEAD_CHANGED for a stale version, 422 for a bad owner_id, 404 for no lead', async () => {
    const lead = await qualified(agent.user);
    const stale = await h.call(agent.token, 'POST', `/leads/${lead.id}/transfer`, { expected_version: lead.version - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'LEAD_CHANGED', current_version: lead.version });
    const bad = await h.call(manager.token, 'POST', `/leads/${lead.id}/transfer`, { owner_id: -1 });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'VALIDATION', field: 'owner_id' });
    expect((await h.call(admin.token, 'POST', '/leads/999999/transfer', {})).status).toBe(404);
  });
});

describe('GET /deals', () => {
  it('shows an agent their own deals, managers everyone\'s (mine=true: their own), with totals per stage', async () => {
    const mine = await dealOf(otherAgent);
    const theirs = await dealOf(manager);
    const own = await h.call(otherAgent.token, 'GET', '/deals?limit=50');
    expect(own.status).toBe(200);
    expect(Object.keys(own.body).sort()).toEqual(['has_next', 'items', 'limit', 'next_cursor', 'totals']);
    expect(own.body.items.map((d: any) => d.id)).not.toContain(theirs.id);
    expect(own.body.items.every((d: any) => d.owner_id === otherAgent.user.id)).toBe(true);
    const all = await h.call(manager.token, 'GET', '/deals?limit=50');
    expect(all.body.items.map((d: any) => d.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const onlyMine = await h.call(manager.token, 'GET', '/deals?mine=true&limit=50');
    expect(onlyMine.body.items.map((d: any) => d.id)).toEqual([theirs.id]);
    expect(onlyMine.body.totals).toEqual([{ stage: 'NEW', currency: expect.any(String), count: 1, amount_minor: '0' }]);
  });

  it('filters by stage in §6 cursor pages', async () => {
    const a = await dealOf(manager);
    const b = await dealOf(manager);
    await h.call(manager.token, 'POST', `/deals/${a.id}/stage`, { stage: 'KYC' });
    await h.call(manager.token, 'POST', `/deals/${b.id}/stage`, { stage: 'KYC' });
    const first = await h.call(manager.token, 'GET', '/deals?stage=KYC&mine=true&limit=1');
    expect(first.body).toMatchObject({ items: [{ id: b.id, stage: 'KYC' }], has_next: true, limit: 1 });
    expect(first.body.totals).toEqual([{ stage: 'KYC', currency: expect.any(String), count: 2, amount_minor: '0' }]);
    const second = await h.call(manager.token, 'GET', `/deals?stage=KYC&mine=true&limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ items: [{ id: a.id }], has_next: false, next_cursor: null });
  });

  it('refuses a bad stage or limit with 422', async () => {
    expect((await h.call(agent.token, 'GET', '/deals?stage=DONE')).body).toMatchObject({ error: 'VALIDATION', field: 'stage' });
    expect((await h.call(agent.token, 'GET', '/deals?limit=51')).body).toMatchObject({ error: 'VALIDATION', field: 'limit' });
    expect((await h.call(agent.token, 'GET', '/deals?mine=yes')).body).toMatchObject({ error: 'VALIDATION', field: 'mine' });
  });
});

describe('GET /deals/{id} and /deals/{id}/history', () => {
  it('reads the card and history for the owner and managers; another agent is refused', async () => {
    const deal = await dealOf(agent);
    const card = await h.call(agent.token, 'GET', `/deals/${deal.id}`);
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({ deal: { id: deal.id }, owner: { id: agent.user.id }, actions: expect.arrayContaining(['kyc', 'lost']) });
    expect((await h.call(manager.token, 'GET', `/deals/${deal.id}`)).status).toBe(200);
    expect((await h.call(otherAgent.token, 'GET', `/deals/${deal.id}`)).status).toBe(403);
    const history = await h.call(manager.token, 'GET', `/deals/${deal.id}/history`);
    expect(history.body).toMatchObject({ items: [{ action: 'CREATED', to_stage: 'NEW', actor_user_id: agent.user.id }], total: 1, limit: 20, offset: 0 });
    expect((await h.call(otherAgent.token, 'GET', `/deals/${deal.id}/history`)).body.error).toBe('FORBIDDEN');
    expect((await h.call(agent.token, 'GET', '/deals/999999')).status).toBe(404);
    expect((await h.call(agent.token, 'GET', '/deals/0')).body).toMatchObject({ error: 'VALIDATION', field: 'id' });
    expect((await h.call(agent.token, 'GET', `/deals/${deal.id}/history?limit=1000`)).body).toMatchObject({ error: 'VALIDATION', field: 'limit' });
  });
});

describe('POST /deals/{id}/stage and /undo', () => {
  it('works a deal to PAID: AGREEMENT with a typed amount, exactly; a skip names the expected stage', async () => {
    const deal = await dealOf(agent);
    const skip = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'PAID' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({ error: 'INVALID_DEAL_TRANSITION', expected_stage: 'KYC', rule: 'skip' });
    expect((await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'KYC' })).body.deal.stage).toBe('KYC');
    const noAmount = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'AGREEMENT' });
    expect(noAmount.body).toMatchObject({ error: 'INVALID_DEAL_TRANSITION', rule: 'amount_required' });
    const badAmount = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'AGREEMENT', amount: '12 5x' });
    expect(badAmount.status).toBe(422);
    expect(badAmount.body).toMatchObject({ error: 'INVALID_AMOUNT', field: 'amount' });
    const agreed = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'AGREEMENT', amount: '12 500,50', currency: 'EUR' });
    expect(agreed.status).toBe(200);
    expect(agreed.body.deal).toMatchObject({ stage: 'AGREEMENT', amount_minor: 1_250_050, currency: 'EUR' });
    const paid = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'PAID', expected_version: agreed.body.deal.version });
    expect(paid.body.deal).toMatchObject({ stage: 'PAID', duration_days: 0, closed_at: expect.any(String) });
  });

  it('answers 409 DEAL_CHANGED when the deal changed meanwhile', async () => {
    const deal = await dealOf(agent);
    await h.call(manager.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'KYC', expected_version: deal.version });
    const stale = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'LOST', reason: 'went quiet', expected_version: deal.version });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'DEAL_CHANGED', current_version: deal.version + 1 });
  });

  it('refuses another agent, a LOST without a reason, and a body that does not match', async () => {
    const deal = await dealOf(agent);
    const other = await h.call(otherAgent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'KYC' });
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('FORBIDDEN');
    expect((await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'LOST' })).body.error).toBe('REASON_REQUIRED');
    expect((await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'DONE' })).body).toMatchObject({ error: 'VALIDATION', field: 'stage' });
    const long = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'LOST', reason: 'x'.repeat(513) });
    expect(long.body).toMatchObject({ error: 'VALIDATION', field: 'reason' });
    expect((await h.call(agent.token, 'GET', `/deals/${deal.id}`)).body.deal.stage).toBe('NEW');
  });

  it('undoes a move with its token; only the mover or an admin, only for that deal', async () => {
    const deal = await dealOf(agent);
    const lost = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'LOST', reason: 'no budget this year' });
    const token = lost.body.undo_token as string;
    expect(token).toEqual(expect.any(String));
    const otherDeal = await dealOf(agent);
    const wrong = await h.call(agent.token, 'POST', `/deals/${otherDeal.id}/undo`, { undo_token: token });
    expect(wrong.body).toMatchObject({ error: 'VALIDATION', field: 'undo_token' });
    const byManager = await h.call(manager.token, 'POST', `/deals/${deal.id}/undo`, { undo_token: token });
    expect(byManager.status).toBe(403);
    expect((await h.call(agent.token, 'POST', `/deals/${deal.id}/undo`, {})).body).toMatchObject({ error: 'VALIDATION', field: 'undo_token' });
    const undone = await h.call(agent.token, 'POST', `/deals/${deal.id}/undo`, { undo_token: token });
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ id: deal.id, stage: 'NEW', lost_reason: null });
    expect((await h.call(agent.token, 'POST', `/deals/${deal.id}/undo`, { undo_token: token })).status).toBe(410);
  });

  it('refuses an undo once the deal changed again (409 DEAL_CHANGED); an admin may undo anyone\'s move', async () => {
    const deal = await dealOf(agent);
    const moved = await h.call(agent.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'KYC' });
    await h.call(manager.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'LOST', reason: 'duplicate deal' });
    const late = await h.call(agent.token, 'POST', `/deals/${deal.id}/undo`, { undo_token: moved.body.undo_token });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('DEAL_CHANGED');
    const other = await dealOf(agent);
    const kyc = await h.call(agent.token, 'POST', `/deals/${other.id}/stage`, { stage: 'KYC' });
    expect((await h.call(admin.token, 'POST', `/deals/${other.id}/undo`, { undo_token: kyc.body.undo_token })).body.stage).toBe('NEW');
  });
});

describe('the §16 stage-change limit', () => {
  it('answers 429 with Retry-After past it', async () => {
    const limited = buildApiApp({ handle, store, env: { RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '1' } });
    const caller = await limited.signIn('agent');
    const lead = await qualified(caller.user);
    const { deal } = (await limited.call(caller.token, 'POST', `/leads/${lead.id}/transfer`, {})).body;
    expect((await limited.call(caller.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'KYC' })).status).toBe(200);
    const over = await limited.call(caller.token, 'POST', `/deals/${deal.id}/stage`, { stage: 'LOST', reason: 'went quiet' });
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('RATE_LIMITED');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
