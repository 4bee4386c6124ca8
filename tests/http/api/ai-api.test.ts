import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle, KeyValueStore, User } from '../../../core/index.js';
import { makeLead } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { buildApiApp, type ApiHarness } from './api-harness.js';

// AI analysis over the API (§7): without OPENAI_API_KEY every analysis is the rule-based one, as core does it.

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
  h = buildApiApp({ handle, store });
  [agent, otherAgent, manager, admin] = await Promise.all([
    h.signIn('agent'), h.signIn('agent'), h.signIn('manager'), h.signIn('admin'),
  ]);
});
afterAll(async () => {
  await h.core.ai.flushAudit();
  await store.close();
  await handle.close();
});

let seq = 0;
const leadOf = (owner: User) => makeLead(handle.db, {
  assigned_to: owner.id, company: 'Acme', position: 'CEO', business_domain: 'Logistics', email: `ceo${++seq}@acme.example`,
});

describe('POST /leads/{id}/analysis', () => {
  it('scores the lead by the rules when the model is not configured, marked, and sets score and tier', async () => {
    const lead = await leadOf(agent.user);
    const res = await h.call(agent.token, 'POST', `/leads/${lead.id}/analysis`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      analyzed_by: 'fallback', fallback_reason: 'no_api_key', latency_ms: expect.any(Number),
      score: { lead_id: lead.id, analyzed_by: 'fallback', reason: expect.stringContaining('[AI OFFLINE - RULE BASED]') },
    });
    expect(res.body.lead).toMatchObject({ id: lead.id, ai_score: res.body.score.score, quality_tier: expect.any(String) });
    const card = await h.call(agent.token, 'GET', `/leads/${lead.id}`);
    expect(card.body.lead.ai_score).toBe(res.body.score.score);
  });

  it('refuses somebody else\'s lead to an agent, lets a manager analyse it; 404 and 422 for bad ids', async () => {
    const lead = await leadOf(agent.user);
    const refused = await h.call(otherAgent.token, 'POST', `/leads/${lead.id}/analysis`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'FORBIDDEN', message: expect.any(String) });
    expect((await h.call(manager.token, 'POST', `/leads/${lead.id}/analysis`)).status).toBe(200);
    expect((await h.call(admin.token, 'POST', '/leads/999999/analysis')).status).toBe(404);
    expect((await h.call(admin.token, 'POST', '/leads/x/analysis')).body).toMatchObject({ error: 'VALIDATION', field: 'id' });
  });

  it('past the caller\'s analyses of the day still answers, by the rules (user_cap)', async () => {
    const capped = buildApiApp({ handle, store, env: { RATE_LIMIT_AI_ANALYSES_PER_DAY: '1' } });
    const caller = await capped.signIn('agent');
    const lead = await leadOf(caller.user);
    await capped.call(caller.token, 'POST', `/leads/${lead.id}/analysis`);
    const second = await capped.call(caller.token, 'POST', `/leads/${lead.id}/analysis`);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ analyzed_by: 'fallback', fallback_reason: 'user_cap' });
    await capped.core.ai.flushAudit();
  });
});

describe('GET /leads/{id}/scores', () => {
  it('lists the score history newest first for whoever may see the lead', async () => {
    const lead = await leadOf(agent.user);
    const first = await h.call(agent.token, 'POST', `/leads/${lead.id}/analysis`);
    const second = await h.call(manager.token, 'POST', `/leads/${lead.id}/analysis`);
    const page = await h.call(agent.token, 'GET', `/leads/${lead.id}/scores`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 2, limit: 20, offset: 0 });
    expect(page.body.items.map((s: any) => s.id)).toEqual([second.body.score.id, first.body.score.id]);
    expect((await h.call(otherAgent.token, 'GET', `/leads/${lead.id}/scores`)).status).toBe(403);
    expect((await h.call(agent.token, 'GET', `/leads/${lead.id}/scores?limit=1000`)).body).toMatchObject({ error: 'VALIDATION', field: 'limit' });
  });
});

describe('GET /ai/stats', () => {
  it('gives admins the figures and refuses agents and managers', async () => {
    await h.core.ai.flushAudit();
    const res = await h.call(admin.token, 'GET', '/ai/stats');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: 30, model_calls: 0, today: { model_calls: 0, cap: 500 } });
    expect(res.body.analyses).toBeGreaterThan(0);
    expect(res.body.fallback_reasons).toEqual(expect.arrayContaining([{ reason: 'no_api_key', count: expect.any(Number) }]));
    for (const caller of [agent, manager]) {
      const refused = await h.call(caller.token, 'GET', '/ai/stats');
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('FORBIDDEN');
    }
  });
});
