import { Writable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core, Database, DbHandle, KeyValueStore, Lead, User } from '../../../core/index.js';
import { inputSha256, leadFeatures } from '../../../core/ai/ai-features.rules.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { startFakeOpenAi, type FakeAnswer, type FakeOpenAiServer } from '../../support/fake-openai-server.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';

let handle: DbHandle;
let db: Kysely<Database>;
let store: KeyValueStore & { close(): Promise<void> };
let fake: FakeOpenAiServer;
let manager: User;
let logs: Record<string, unknown>[];

function logger() {
  return pino({ level: 'info' }, new Writable({
    write(chunk, _enc, done) { logs.push(JSON.parse(chunk.toString())); done(); },
  }));
}

const cores: Core[] = [];
function coreWith(env: Record<string, string> = {}, now?: () => Date, key: string | null = 'sk-test'): Core {
  const core = createTestCore(handle, store, {
    ...(key ? { OPENAI_API_KEY: key } : {}), OPENAI_BASE_URL: fake.baseUrl, AI_TIMEOUT_MS: '400', ...env,
  }, logger(), now);
  cores.push(core);
  return core;
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
  await handle.close();
});
// A store per test: user ids restart with the tables, so per-user counts must too.
// Each test's audit rows are written before the next test empties the tables.
afterEach(async () => {
  for (const core of cores.splice(0)) await core.ai.flushAudit();
  await store.close();
});
beforeEach(async () => {
  store = createTestStore();
  fake.reset();
  logs = [];
  await sql`truncate ai_analyses, ai_feedback, lead_scores, ai_daily_usage, ai_analysis_requests, lead_history, leads, users restart identity cascade`.execute(db);
  manager = await makeUser(db, { role: 'manager' });
});

const referral = (p: Partial<Lead> = {}) => makeLead(db, {
  source: 'REFERRAL', business_domain: 'Logistics', message_count: 5, full_name: 'Olena Secret', ...p,
});

async function auditRows() {
  return db.selectFrom('ai_analyses').selectAll().orderBy('id').execute();
}

describe('an analysis by the model (§7)', () => {
  it('saves score, recommendation, reason, time and tier on the lead, a score history row and AI_ANALYZED history', async () => {
    const core = coreWith();
    const lead = await referral();
    fake.script({ kind: 'ok', score: 0.83, recommendation: 'transfer_to_sales', reason: 'Warm referral in logistics, talking a lot.' });

    const outcome = await core.ai.analyze(manager, lead.id);

    expect(outcome).toMatchObject({ analyzedBy: 'openai', fallbackReason: null });
    const saved = await db.selectFrom('leads').selectAll().where('id', '=', lead.id).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({
      ai_score: 0.83, ai_recommendation: 'transfer_to_sales', ai_reason: 'Warm referral in logistics, talking a lot.', quality_tier: 'HOT',
      version: lead.version, // a score does not make open cards stale
    });
    expect(saved.ai_analyzed_at).not.toBeNull();
    const scores = await db.selectFrom('lead_scores').selectAll().where('lead_id', '=', lead.id).execute();
    expect(scores).toMatchObject([{ score: 0.83, recommendation: 'transfer_to_sales', analyzed_by: 'openai' }]);
    const history = await db.selectFrom('lead_history').selectAll().where('lead_id', '=', lead.id).where('action', '=', 'AI_ANALYZED').execute();
    expect(history).toMatchObject([{ actor_user_id: manager.id, details: { score: 0.83, analyzed_by: 'openai', lead_score_id: scores[0]!.id } }]);
  });

  it('sends one Chat Completions call with a strict JSON schema and the §7 features only — no name, phone or email', async () => {
    const core = coreWith({ OPENAI_MODEL: 'gpt-4o-mini' });
    const lead = await referral({ phone: '+380501112233' });
    await core.ai.analyze(manager, lead.id);

    expect(fake.requests).toHaveLength(1);
    const { body, authorization } = fake.requests[0]!;
    expect(authorization).toBe('Bearer sk-test');
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(body.response_format.json_schema.schema).toMatchObject({
      type: 'object', additionalProperties: false, required: ['score', 'recommendation', 'reason'],
      properties: { recommendation: { enum: ['transfer_to_sales', 'continue_nurturing', 'lost'] } },
    });
    const user = JSON.parse(body.messages.at(-1).content);
    expect(Object.keys(user).sort()).toEqual([
      'b2b_qualification', 'business_domain', 'contact_completeness', 'days_since_created', 'days_since_last_activity',
      'message_count', 'message_velocity', 'source', 'stage',
    ]);
    const wire = JSON.stringify(body);
    expect(wire).not.toContain(lead.email!);
    expect(wire).not.toContain('+380501112233');
    expect(wire).not.toContain('Olena');
  });

  it('writes the audit row after answering: model, input SHA-256, score, latency, tokens and cost from the configured prices', async () => {
    const core = coreWith({ AI_PRICE_INPUT_PER_MTOK: '0.15', AI_PRICE_OUTPUT_PER_MTOK: '0.60' });
    const lead = await referral();
    fake.script({ kind: 'ok', score: 0.64, recommendation: 'continue_nurturing', promptTokens: 1000, completionTokens: 500 });

    const outcome = await core.ai.analyze(manager, lead.id);
    await core.ai.flushAudit();

    const [row] = await auditRows();
    expect(row).toMatchObject({
      lead_id: lead.id, lead_score_id: outcome.score.id, model: 'gpt-4o-mini',
      input_sha256: inputSha256(leadFeatures(lead, new Date())), score: 0.64, recommendation: 'continue_nurturing',
      tokens_input: 1000, tokens_output: 500, tokens_used: 1500, is_fallback: false, fallback_reason: null,
      model_called: true, trigger: 'manual', requested_by: manager.id,
    });
    // 1000 × 0.15 / 1e6 + 500 × 0.60 / 1e6 = 0.00045 USD, exactly.
    expect(Number(row!.cost_usd)).toBe(0.00045);
    expect(row!.latency_ms).toBeGreaterThanOrEqual(0);
    expect(row!.latency_ms).toBe(outcome.latencyMs);
    expect(logs.find((l) => l.msg === 'ai_analysis_complete')).toMatchObject({ lead_id: lead.id, trigger: 'manual' });
  });
});

describe('the rule-based fallback answers, never an error (§7)', () => {
  const cases: [string, FakeAnswer | null, string][] = [
    ['the model answers 429', { kind: 'rate_limited', retryAfterSeconds: 30 }, 'rate_limited'],
    ['the model answers 500', { kind: 'server_error' }, 'server_error'],
    ['the model answers 503', { kind: 'server_error', status: 503 }, 'server_error'],
    ['the model does not answer in AI_TIMEOUT_MS', { kind: 'hang' }, 'timeout'],
    ['the model refuses', { kind: 'refusal' }, 'refusal'],
    ['the model returns JSON the schema rejects', { kind: 'invalid' }, 'invalid_output'],
  ];
  it.each(cases)('when %s', async (_what, answer, reason) => {
    const core = coreWith();
    const lead = await referral({ stage: 'CONTACTED' });
    fake.script(answer!);

    const outcome = await core.ai.analyze(manager, lead.id);
    await core.ai.flushAudit();

    // REFERRAL 0.35 + 5 messages 0.15 + domain 0.25 + CONTACTED 0.10 = 0.85
    expect(outcome).toMatchObject({ analyzedBy: 'fallback', fallbackReason: reason, score: { score: 0.85, analyzed_by: 'fallback' } });
    expect(outcome.lead).toMatchObject({ ai_score: 0.85, ai_recommendation: 'transfer_to_sales', quality_tier: 'HOT' });
    expect(outcome.lead.ai_reason).toContain('[AI OFFLINE - RULE BASED]');
    const [row] = await auditRows();
    expect(row).toMatchObject({ is_fallback: true, fallback_reason: reason, model_called: true, model: 'gpt-4o-mini', tokens_used: 0 });
    expect(Number(row!.cost_usd)).toBe(0);
    expect(logs.find((l) => l.msg === 'openai_unavailable_using_fallback')).toMatchObject({ lead_id: lead.id, fallback_reason: reason });
    // The log names the lead by id only.
    expect(JSON.stringify(logs)).not.toContain(lead.email!);
  });

  it('when the timeout cuts a hanging call, it took about AI_TIMEOUT_MS, not the SDK default', async () => {
    const core = coreWith({ AI_TIMEOUT_MS: '300' });
    const lead = await referral();
    fake.script({ kind: 'hang' });
    const outcome = await core.ai.analyze(manager, lead.id);
    expect(outcome.fallbackReason).toBe('timeout');
    expect(fake.requests).toHaveLength(1); // no retry
  });

  it('when the key is not set, without calling anything', async () => {
    const core = coreWith({}, undefined, null);
    const lead = await referral();
    const outcome = await core.ai.analyze(manager, lead.id);
    await core.ai.flushAudit();
    expect(outcome.fallbackReason).toBe('no_api_key');
    expect(fake.requests).toHaveLength(0);
    expect((await auditRows())[0]).toMatchObject({ fallback_reason: 'no_api_key', model_called: false });
  });

  it('when the network fails (nothing listens at the base URL)', async () => {
    const other = await startFakeOpenAi();
    const deadUrl = other.baseUrl;
    await other.close();
    const core = coreWith({ OPENAI_BASE_URL: deadUrl });
    const lead = await referral();
    const outcome = await core.ai.analyze(manager, lead.id);
    expect(outcome.fallbackReason).toBe('network');
  });

  it('after a 429, the next analyses wait out its Retry-After without calling the model', async () => {
    const core = coreWith();
    const [a, b] = [await referral(), await referral()];
    fake.script({ kind: 'rate_limited', retryAfterSeconds: 30 });
    await core.ai.analyze(manager, a.id);
    const second = await core.ai.analyze(manager, b.id);
    expect(second.fallbackReason).toBe('rate_limited');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('caps (§7, §16)', () => {
  it('past AI_DAILY_CAP model calls in a UTC day the rules answer, and the next UTC day the model again', async () => {
    let now = new Date('2030-05-01T23:50:00Z');
    const core = coreWith({ AI_DAILY_CAP: '2' }, () => now);
    const leads = [await referral(), await referral(), await referral()];
    const outcomes = [];
    for (const lead of leads) outcomes.push(await core.ai.analyze(manager, lead.id));
    expect(outcomes.map((o) => o.fallbackReason)).toEqual([null, null, 'daily_cap']);
    expect(fake.requests).toHaveLength(2);
    expect((await core.ai.stats(await makeUser(db, { role: 'admin' }))).today).toEqual({ day: '2030-05-01', modelCalls: 2, cap: 2 });

    now = new Date('2030-05-02T00:10:00Z');
    expect((await core.ai.analyze(manager, leads[2]!.id)).fallbackReason).toBeNull();
  });

  it('the daily cap holds under concurrent analyses: never more model calls than the cap', async () => {
    const core = coreWith({ AI_DAILY_CAP: '3', RATE_LIMIT_AI_ANALYSES_PER_DAY: '100' });
    const leads = await Promise.all(Array.from({ length: 10 }, () => referral()));
    const outcomes = await Promise.all(leads.map((l) => core.ai.analyze(manager, l.id)));
    expect(outcomes.filter((o) => o.analyzedBy === 'openai')).toHaveLength(3);
    expect(outcomes.filter((o) => o.fallbackReason === 'daily_cap')).toHaveLength(7);
    expect(fake.requests).toHaveLength(3);
  });

  it('a user past their analyses per day (§16) gets the rule-based score, not a refusal', async () => {
    const core = coreWith({ RATE_LIMIT_AI_ANALYSES_PER_DAY: '2' });
    const lead = await referral();
    const reasons = [];
    for (let i = 0; i < 3; i++) reasons.push((await core.ai.analyze(manager, lead.id)).fallbackReason);
    expect(reasons).toEqual([null, null, 'user_cap']);
    expect(fake.requests).toHaveLength(2);
    // Another user still has theirs.
    expect((await core.ai.analyze(await makeUser(db, { role: 'manager' }), lead.id)).fallbackReason).toBeNull();
  });
});

describe('who may analyse', () => {
  it('an agent only their own leads; a deleted lead is not found', async () => {
    const core = coreWith();
    const agent = await makeUser(db);
    const others = await referral();
    await expect(core.ai.analyze(agent, others.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const gone = await referral({ is_deleted: true });
    await expect(core.ai.analyze(manager, gone.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fake.requests).toHaveLength(0);
  });

  it('a second analysis of the same lead while one runs is refused as in progress (a double tap)', async () => {
    const core = coreWith({ AI_TIMEOUT_MS: '2000' });
    fake.setDelayMs(150);
    const lead = await referral();
    const results = await Promise.allSettled([core.ai.analyze(manager, lead.id), core.ai.analyze(manager, lead.id)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'ANALYSIS_IN_PROGRESS' } });
    expect(fake.requests).toHaveLength(1);
  });
});
