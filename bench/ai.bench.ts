import OpenAI from 'openai';
import { pino } from 'pino';
import { createConfig } from '../config.js';
import { createCore } from '../core/index.js';
import { analysisResponseFormat } from '../core/ai/ai.schema.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { startFakeOpenAi } from '../tests/support/fake-openai-server.js';
import { createBenchDb } from './bench-db.js';

const CONCURRENCY = 50;
const MODEL_MS = 200;
const ROUNDS = Number(process.env.BENCH_AI_ROUNDS ?? 10);

export interface Phase { count: number; perSecond: number; p50Ms: number; p99Ms: number }
export interface AiBench { bare: Phase; analyses: Phase; syncInsert: Phase; drainMs: number }

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** `lanes` loops each running `task(i)` `perLane` times; latency per task and overall rate. */
async function phase(lanes: number, perLane: number, task: (lane: number, i: number) => Promise<unknown>): Promise<Phase> {
  const times: number[] = [];
  const start = performance.now();
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let i = 0; i < perLane; i++) {
      const t = performance.now();
      await task(lane, i);
      times.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  times.sort((a, b) => a - b);
  return { count: times.length, perSecond: times.length / seconds, p50Ms: pct(times, 0.5), p99Ms: pct(times, 0.99) };
}

/**
 * §7 under load: 50 concurrent analyses (features, cap check, one SDK call,
 * score saved, audit queued) against a fake model answering in 200 ms, on
 * real PostgreSQL — beside bare SDK calls to the same fake in the same run
 * (the ceiling), and beside 50 concurrent plain INSERTs of an audit row
 * (what writing the audit on the answer's path would cost each answer).
 */
export async function benchAi(): Promise<AiBench> {
  const fake = await startFakeOpenAi({ delayMs: MODEL_MS });
  const db = await createBenchDb('ai', 60);
  const config = createConfig({
    NODE_ENV: 'production', LOG_LEVEL: 'silent', OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.baseUrl,
    AI_DAILY_CAP: '10000000', RATE_LIMIT_AI_ANALYSES_PER_DAY: '100000',
  });
  const core = createCore({ db: db.db, store: createMemoryStore(), config, logger: pino({ level: 'silent' }) });
  try {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: fake.baseUrl, maxRetries: 0 });
    const responseFormat = await analysisResponseFormat();
    const bare = await phase(CONCURRENCY, ROUNDS, () => client.chat.completions.parse({
      model: 'gpt-4o-mini', messages: [{ role: 'user', content: '{"source":"WEB"}' }], response_format: responseFormat,
    }));

    const manager = await db.db.insertInto('users').values({
      telegram_id: 1, username: null, full_name: 'Bench', role: 'manager', status: 'active', capacity: 10, language: 'en',
    }).returningAll().executeTakeFirstOrThrow();
    const leads = await db.db.insertInto('leads').values(Array.from({ length: CONCURRENCY }, (_, i) => ({
      source: 'WEB' as const, email: `ai-bench-${i}@example.com`, message_count: i % 12, business_domain: i % 2 ? 'Retail' : null,
    }))).returning('id').execute();
    await db.db.deleteFrom('ai_analysis_requests').execute(); // no worker here: only the measured analyses
    const analyses = await phase(CONCURRENCY, ROUNDS, (lane) => core.ai.analyze(manager, leads[lane]!.id));
    const drainStart = performance.now();
    await core.ai.flushAudit();
    const drainMs = performance.now() - drainStart;

    fake.setDelayMs(0);
    const syncInsert = await phase(CONCURRENCY, ROUNDS, (lane) => db.db.insertInto('ai_analyses').values({
      lead_id: leads[lane]!.id, model: 'gpt-4o-mini', input_sha256: 'a'.repeat(64), score: 0.5, recommendation: 'lost',
      reason: 'bench row, not an analysis', latency_ms: 200, is_fallback: false, model_called: true, trigger: 'manual',
    }).execute());
    return { bare, analyses, syncInsert, drainMs };
  } finally {
    await core.ai.flushAudit();
    await db.close();
    await fake.close();
  }
}

export function aiReport(r: AiBench): string[] {
  const f = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  return [
    `\nAI analysis: ${CONCURRENCY} at once, a fake model answering in ${MODEL_MS} ms, real PostgreSQL (${r.analyses.count} per phase)`,
    `  bare SDK calls       : ${f(r.bare.perSecond)} calls/s      p50 ${f(r.bare.p50Ms)} ms   p99 ${f(r.bare.p99Ms)} ms`,
    `  analyses             : ${f(r.analyses.perSecond)} analyses/s   p50 ${f(r.analyses.p50Ms)} ms   p99 ${f(r.analyses.p99Ms)} ms`
      + `   (${f(r.analyses.perSecond / r.bare.perSecond, 3)} of bare; +${f(r.analyses.p50Ms - r.bare.p50Ms)} ms p50 for features, cap, save)`,
    `  audit log            : queued off the answer's path; its ${r.analyses.count} rows written ${f(r.drainMs)} ms after the last answer`,
    `  audit INSERT inline  : would add p50 ${f(r.syncInsert.p50Ms, 2)} ms, p99 ${f(r.syncInsert.p99Ms, 2)} ms to each answer at this concurrency`,
  ];
}
