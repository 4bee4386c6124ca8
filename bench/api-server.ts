// The JSON API under load, in its own process (see load.ts): the real app's
// routes on a fresh PostgreSQL database with 2,000 leads, a manager's access
// token and limits high enough not to refuse the load. Prints one JSON line
// {url, token}; drops its database on SIGTERM.
import { createConfig } from '../config.js';
import { createCore } from '../core/index.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { createApiRoutes } from '../http/api/api-app.js';
import { createServer, startHttpServer } from '../http/app.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';
import { createBenchDb } from './bench-db.js';

const { db, url, close } = await createBenchDb('api');
const config = createConfig({
  DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'silent', API_JWT_SECRET: 'b'.repeat(40),
  API_RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_LEAD_CREATIONS_PER_HOUR: '100000',
});
const logger = createLogger(config);
const manager = await db.insertInto('users').values({
  telegram_id: 910_000, username: null, full_name: 'Bench Manager', role: 'manager', status: 'active', capacity: 1_000_000, language: 'en',
}).returningAll().executeTakeFirstOrThrow();
for (let i = 0; i < 5; i++) {
  await db.insertInto('users').values({
    telegram_id: 910_001 + i, username: null, full_name: `Agent ${i}`, role: 'agent', status: 'active', capacity: 1_000_000, language: 'en',
  }).execute();
}
await db.insertInto('leads').values(Array.from({ length: 2000 }, (_, i) => ({
  source: 'WEB' as const, full_name: `Seed ${i}`, email: `seed-${i}@example.com`, phone: null, phone_unverified: null,
  company: null, position: null, intent: null, pain_points: null, business_domain: null, ai_score: null, ai_recommendation: null,
  ai_reason: null, ai_analyzed_at: null, quality_tier: null, assigned_to: manager.id, utm_source: null, utm_medium: null,
  utm_campaign: null, utm_content: null, utm_term: null, form_source_id: null, form_reference: null, lost_reason: null,
  lost_reason_code: null, deleted_by: null, deleted_at: null,
}))).execute();
const store = createMemoryStore();
const core = createCore({ db, store, config, logger });
const app = createServer({
  config, core, store, logger, version: 'bench', startedAt: new Date(),
  metrics: createMetrics({ leadCounts: core.operations.leadCounts, defaultMetrics: false }),
  routes: createApiRoutes({ core, logger, version: 'bench' }),
});
const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
const { access_token: token } = await core.api.issueTokens(manager);
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}/api/v1`, token }));
process.once('SIGTERM', () => {
  void (async () => {
    await server.close();
    await close();
    process.exit(0);
  })();
});
