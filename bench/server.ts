// A server under load, in its own process so the load generator does not
// share its event loop. argv[2]:
// - 'baseline': a Hono handler that does nothing;
// - 'naive': Hono + pg doing one INSERT of the body per request, pool of 10
//   (the app's default), answering 201 after it commits: the ceiling intake is measured against;
// - 'intake': the real app (startApp, as main.ts wires it) on a fresh PostgreSQL database.
// Prints one JSON line {url, ...} when ready; drops its database on SIGTERM.
import { Hono } from 'hono';
import pg from 'pg';
import { createBenchDb } from './bench-db.js';
import { startHttpServer } from '../http/app.js';

const kind = process.argv[2];

if (kind === 'baseline') {
  const app = new Hono();
  app.post('/', (c) => c.json({ status: 'ok' }, 201));
  app.get('/', (c) => c.json({ items: [], next_cursor: null, has_next: false, limit: 20 }));
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}/` }));
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else if (kind === 'naive') {
  const { url, close } = await createBenchDb('naive', 1);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('create table naive_intake (id serial primary key, body text not null, created_at timestamptz not null default now())');
  const app = new Hono();
  app.post('/', async (c) => {
    const body = await c.req.text();
    const { rows } = await pool.query<{ id: number }>('insert into naive_intake (body) values ($1) returning id', [body]);
    return c.json({ id: rows[0]!.id }, 201);
  });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}/` }));
  process.once('SIGTERM', () => void (async () => {
    await server.close();
    await pool.end();
    await close();
    process.exit(0);
  })());
} else {
  // Loaded here only: the naive server's memory is that of Hono and pg, not of the app it is compared with.
  const { createConfig } = await import('../config.js');
  const { createFormSource } = await import('../core/intake/form-source.service.js');
  const { startApp } = await import('../main.js');
  const { db, url, close } = await createBenchDb('intake', 2);
  // Agents with room, so every lead takes the assignment path too.
  for (let i = 0; i < 5; i++) {
    await db.insertInto('users').values({
      telegram_id: 900_000 + i, username: null, full_name: `Agent ${i}`, role: 'agent', status: 'active', capacity: 1_000_000, language: 'en',
    }).execute();
  }
  const { source, secret, webhookPath } = await createFormSource(db, { name: 'bench', provider: 'generic' });
  const app = await startApp({
    config: createConfig({ DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', JOBS_ENABLED: 'false' }),
  });
  console.log(JSON.stringify({ url: `${app.url}${webhookPath}`, secret, sourceId: String(source.id), databaseUrl: url }));
  process.once('SIGTERM', () => {
    void (async () => {
      await app.close();
      await close();
      process.exit(0);
    })();
  });
}
