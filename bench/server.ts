// A server under load, in its own process so the load generator does not
// share its event loop. argv[2]: 'baseline' (a Hono handler that does
// nothing) or 'intake' (the real app on a fresh PostgreSQL database).
// Prints one JSON line {url, ...} when ready; drops its database on SIGTERM.
import { Hono } from 'hono';
import { createConfig } from '../config.js';
import { createBenchDb } from './bench-db.js';
import { createFormSource } from '../core/intake/form-source.service.js';
import { createCore } from '../core/index.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { createServer, startHttpServer } from '../http/app.js';
import { createFormWebhookRoutes } from '../http/routes/form-webhooks.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';

const kind = process.argv[2];

if (kind === 'baseline') {
  const app = new Hono();
  app.post('/', (c) => c.json({ status: 'ok' }, 201));
  app.get('/', (c) => c.json({ items: [], next_cursor: null, has_next: false, limit: 20 }));
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}/` }));
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  const { db, url, close } = await createBenchDb('intake');
  const config = createConfig({ DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const logger = createLogger(config);
  // Agents with room, so every lead takes the assignment path too.
  for (let i = 0; i < 5; i++) {
    await db.insertInto('users').values({
      telegram_id: 900_000 + i, username: null, full_name: `Agent ${i}`, role: 'agent', status: 'active', capacity: 1_000_000, language: 'en',
    }).execute();
  }
  const { source, secret, webhookPath } = await createFormSource(db, { name: 'bench', provider: 'generic' });
  const store = createMemoryStore();
  const core = createCore({ db, store, config, logger });
  const metrics = createMetrics({ leadCounts: core.operations.leadCounts, defaultMetrics: false });
  const app = createServer({
    config, core, store, logger, metrics, version: 'bench', startedAt: new Date(),
    routes: [{ path: '/webhooks/forms', app: createFormWebhookRoutes({ core, logger }) }],
  });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}${webhookPath}`, secret, sourceId: String(source.id) }));
  process.once('SIGTERM', () => {
    void (async () => {
      await server.close();
      await close();
      process.exit(0);
    })();
  });
}
