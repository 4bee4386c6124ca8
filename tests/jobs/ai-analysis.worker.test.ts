import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core, Database, DbHandle, FormSource, User } from '../../core/index.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { createFormWebhookRoutes } from '../../http/routes/form-webhooks.js';
import { createAiWorker, type AiWorker } from '../../jobs/ai-analysis.worker.js';
import { createIntakeWorker } from '../../jobs/intake-worker.js';
import { buildApp } from '../http/http-harness.js';
import { makeLead, makeUser } from '../support/factories.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { genericSubmission } from '../support/form-submissions.js';
import { createTestCore } from '../support/test-core.js';
import { createTestDb } from '../support/test-db.js';
import { createTestStore } from '../support/test-store.js';
import { waitFor } from '../support/wait-for.js';

let handle: DbHandle;
let db: Kysely<Database>;
const store = createTestStore();
let fake: FakeOpenAiServer;
let core: Core;
let agent: User;
const workers: AiWorker[] = [];

const worker = (c: Core = core, concurrency = 2) => {
  const w = createAiWorker({ core: c, logger: pino({ level: 'silent' }), concurrency, pollMs: 60_000, timeoutMs: 2_000 });
  workers.push(w);
  return w;
};
const scoresOf = (leadId: number) => db.selectFrom('lead_scores').selectAll().where('lead_id', '=', leadId).execute();
const requests = () => db.selectFrom('ai_analysis_requests').selectAll().orderBy('id').execute();

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  fake = await startFakeOpenAi();
  core = createTestCore(handle, store, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseUrl, AI_TIMEOUT_MS: '2000' });
});
afterAll(async () => {
  await fake.close();
  await store.close();
  await handle.close();
});
beforeEach(async () => {
  fake.reset();
  await sql`truncate ai_analyses, ai_feedback, lead_scores, ai_daily_usage, ai_analysis_requests, intake_submissions,
    notifications, lead_history, leads, users restart identity cascade`.execute(db);
  agent = await makeUser(db, { name: 'Agent' });
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.stop();
  await core.ai.flushAudit();
});

describe('automatic analysis (§7 "when")', () => {
  it('a lead that arrives through a form webhook is scored by the worker soon after, without the webhook waiting for it', async () => {
    const source: FormSource = (await createFormSource(db, { name: 'Site', provider: 'generic' })).source;
    const routes = createFormWebhookRoutes({ core, logger: pino({ level: 'silent' }) });
    const { app } = buildApp({ core, store, routes: [{ path: '/webhooks/forms', app: routes }] });
    // The model is slow; the webhook's answer must not wait for it.
    fake.setDelayMs(300);
    fake.script({ kind: 'ok', score: 0.66, recommendation: 'continue_nurturing', reason: 'A fresh web lead with a clear request.' });
    await worker().start();
    // Intake journals the submission and answers; its own worker makes the lead (as in main.ts).
    const intake = createIntakeWorker({ core, logger: pino({ level: 'silent' }), pollMs: 50 });
    intake.start();
    const unjournal = core.intake.onJournaled(() => intake.wake());

    const sub = genericSubmission({ name: 'Ivan', email: 'ivan@example.com', phone: '+380671234567', message: 'Need a quote', seq: 1 }, source.secret);
    const res = await app.request(`/webhooks/forms/${source.slug}${sub.query}`, { method: 'POST', headers: sub.headers, body: sub.body });
    expect(res.status).toBeLessThan(300);
    await waitFor(async () => (await db.selectFrom('leads').select('id').execute()).length === 1, { what: 'the lead' });
    const lead = await db.selectFrom('leads').selectAll().executeTakeFirstOrThrow();

    await waitFor(async () => (await scoresOf(lead.id)).length === 1, { what: 'the new lead to be scored' });
    const scored = await db.selectFrom('leads').selectAll().where('id', '=', lead.id).executeTakeFirstOrThrow();
    expect(scored).toMatchObject({ ai_score: 0.66, quality_tier: 'WARM', ai_recommendation: 'continue_nurturing' });
    expect(await requests()).toEqual([]);
    await core.ai.flushAudit();
    expect(await db.selectFrom('ai_analyses').select(['trigger', 'requested_by', 'is_fallback']).execute())
      .toEqual([{ trigger: 'created', requested_by: null, is_fallback: false }]);
    unjournal();
    await intake.stop();
  });

  it('a lead that reaches QUALIFIED is analysed again', async () => {
    const lead = await makeLead(db, { assigned_to: agent.id, stage: 'CONTACTED' });
    await worker().runOnce();
    await core.leads.transition(agent, { leadId: lead.id, to: 'QUALIFIED', expectedVersion: lead.version });
    expect(await requests()).toMatchObject([{ lead_id: lead.id, trigger: 'qualified' }]);
    await worker().runOnce();
    expect(await scoresOf(lead.id)).toHaveLength(2);
  });

  it('two workers (two instances) analyse each lead exactly once', async () => {
    const other = createTestCore(handle, store, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseUrl });
    const leads = [];
    for (let i = 0; i < 8; i++) leads.push(await makeLead(db));
    fake.setDelayMs(30);
    await Promise.all([worker(core, 3).runOnce(), worker(other, 3).runOnce()]);
    for (const lead of leads) expect(await scoresOf(lead.id)).toHaveLength(1);
    expect(fake.requests).toHaveLength(8);
    expect(await requests()).toEqual([]);
  });

  it('past AI_DAILY_CAP the worker scores by the rules, and a deleted or closed lead is not analysed at all', async () => {
    const capped = createTestCore(handle, store, { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseUrl, AI_DAILY_CAP: '1' });
    const [a, b] = [await makeLead(db), await makeLead(db)];
    const deleted = await makeLead(db);
    await db.updateTable('leads').set({ is_deleted: true, deleted_at: new Date() }).where('id', '=', deleted.id).execute();
    const lost = await makeLead(db);
    await db.updateTable('leads').set({ stage: 'LOST', lost_reason: 'spam' }).where('id', '=', lost.id).execute();

    await worker(capped, 1).runOnce();

    expect((await scoresOf(a.id))[0]).toMatchObject({ analyzed_by: 'openai' });
    expect((await scoresOf(b.id))[0]).toMatchObject({ analyzed_by: 'fallback' });
    expect(await scoresOf(deleted.id)).toEqual([]);
    expect(await scoresOf(lost.id)).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(await requests()).toEqual([]);
    await capped.ai.flushAudit();
  });

  it('a new lead that already waits for its analysis gets no second request', async () => {
    const lead = await makeLead(db, { stage: 'CONTACTED' });
    await db.updateTable('leads').set({ stage: 'QUALIFIED' }).where('id', '=', lead.id).execute();
    expect(await requests()).toMatchObject([{ lead_id: lead.id, trigger: 'created' }]);
  });
});
