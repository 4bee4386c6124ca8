// A server under load, in its own process so the load generator does not
// share its event loop. argv[2]: 'baseline' (a Hono handler that does
// nothing) or 'intake' (the real app on a fresh PostgreSQL database).
// Prints one JSON line {url, ...} when ready; drops its database on SIGTERM.
import { Hono } from 'hono';
import pg from 'pg';
import { createConfig } from '../config.js';
import { createDb } from '../core/create-db.js';
import { createFormSource } from '../core/intake/form-source.service.js';
import { migrateToLatest } from '../core/migrate.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { createServer, startHttpServer } from '../http/app.js';
import { createFormWebhookRoutes } from '../http/routes/form-webhooks.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics.js';

const kind = process.argv[2];
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

if (kind === 'baseline') {
  const app = new Hono();
  app.post('/', (c) => c.json({ status: 'ok' }, 201));
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}/` }));
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
  const name = `crm_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const config = createConfig({ DATABASE_URL: url.toString(), NODE_ENV: 'production', LOG_LEVEL: 'silent' });
  const logger = createLogger(config);
  const { db, close } = await createDb({ databaseUrl: config.DATABASE_URL, poolSize: 20 });
  await migrateToLatest(db);
  // Agents with room, so every lead takes the assignment path too.
  for (let i = 0; i < 5; i++) {
    await db.insertInto('users').values({
      telegram_id: 900_000 + i, username: null, full_name: `Agent ${i}`, role: 'agent', status: 'active', capacity: 1_000_000, language: 'en',
    }).execute();
  }
  const { source, secret, webhookPath } = await createFormSource(db, { name: 'bench', provider: 'generic' });
  const store = createMemoryStore();
  const metrics = createMetrics({ db, defaultMetrics: false });
  const app = createServer({
    config, db, store, logger, metrics, version: 'bench', startedAt: new Date(),
    routes: [{ path: '/webhooks/forms', app: createFormWebhookRoutes({ db, logger }) }],
  });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}${webhookPath}`, secret, sourceId: String(source.id) }));
  process.once('SIGTERM', () => {
    void (async () => {
      await server.close();
      await close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      process.exit(0);
    })();
  });
}
