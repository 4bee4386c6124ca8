import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createConfig } from '../config.js';
import { createCore } from '../core/index.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { recordWebhookEvents } from '../core/webhooks/webhook-event.writer.js';
import { createBenchDb } from './bench-db.js';
import { runLoad, startServerProcess, type LoadResult } from './load.js';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DELIVERIES = Number(process.env.BENCH_WEBHOOKS ?? 2000);

export interface ApiBench {
  bareGet: LoadResult; barePost: LoadResult; list: LoadResult; create: LoadResult;
  webhooks: { deliveries: number; seconds: number; perSecond: number; ceilingPerSecond: number };
}

/**
 * The JSON API (issue 12) under load: GET /leads (a page of 20 from 2,000)
 * and POST /leads (each a new lead with its duplicate check, assignment,
 * history and outbox row) with 32 connections, beside a bare Hono handler
 * answering the same shapes; then outbound webhooks to a loopback receiver
 * answering 204 at once, beside plain unsigned POSTs to it at the same
 * concurrency (the ceiling).
 */
export async function benchApi(): Promise<ApiBench> {
  const bare = await startServerProcess('baseline', {});
  const bareGet = await runLoad({ url: bare.info.url!, connections: CONNECTIONS, seconds: SECONDS, method: 'GET' });
  const barePost = await runLoad({ url: bare.info.url!, connections: CONNECTIONS, seconds: SECONDS, body: () => '{}' });
  await bare.stop();

  const api = await startServerProcess('api', {});
  const auth = { authorization: `Bearer ${api.info.token}` };
  const list = await runLoad({ url: `${api.info.url}/leads?limit=20`, connections: CONNECTIONS, seconds: SECONDS, method: 'GET', headers: auth });
  const runId = Date.now().toString(36);
  const create = await runLoad({
    url: `${api.info.url}/leads`, connections: CONNECTIONS, seconds: SECONDS, headers: auth,
    body: (i) => JSON.stringify({ full_name: `Bench ${i}`, email: `api-${runId}-${i}@example.com`, source: 'WEB' }),
  });
  await api.stop();
  return { bareGet, barePost, list, create, webhooks: await benchDeliveries() };
}

async function benchDeliveries(): Promise<ApiBench['webhooks']> {
  const receiver = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(204); res.end(); }); });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const { db, url: databaseUrl, close } = await createBenchDb('webhooks');
  const config = createConfig({ DATABASE_URL: databaseUrl, NODE_ENV: 'test', LOG_LEVEL: 'silent', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
  const core = createCore({ db, store: createMemoryStore(), config, logger: pino({ level: 'silent' }) });
  const admin = await db.insertInto('users').values({
    telegram_id: 920_000, username: null, full_name: 'Admin', role: 'admin', status: 'active', capacity: 10, language: 'en',
  }).returningAll().executeTakeFirstOrThrow();
  await core.webhooks.subscribe(admin, { url, events: ['lead.updated'] });
  const lead = await core.leads.create(admin, { input: { source: 'WEB', email: 'hook-bench@example.com' }, assignToSelf: false });
  // DELIVERIES events, written as a change writes them (one insert … select for the lot).
  await recordWebhookEvents(db, Array.from({ length: DELIVERIES }, () => ({ type: 'lead.updated' as const, leadId: lead.id, data: {} })));
  const pendingAtStart = await pending(db);
  const started = performance.now();
  while ((await core.webhooks.deliverDue()).length > 0);
  const seconds = (performance.now() - started) / 1000;
  const sent = pendingAtStart - (await pending(db));

  // The ceiling: the same number of plain POSTs, 8 at a time (delivery's concurrency), no database, no signature.
  const bodies = Array.from({ length: sent }, () => JSON.stringify({ type: 'lead.updated', data: {} }));
  const ceilingStarted = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < bodies.length) await (await fetch(url, { method: 'POST', body: bodies[next++]! })).arrayBuffer();
  }));
  const ceilingSeconds = (performance.now() - ceilingStarted) / 1000;
  await close();
  receiver.close();
  return { deliveries: sent, seconds, perSecond: sent / seconds, ceilingPerSecond: sent / ceilingSeconds };
}

async function pending(db: Awaited<ReturnType<typeof createBenchDb>>['db']): Promise<number> {
  const row = await db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(row.n);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function apiReport(b: ApiBench): string[] {
  const line = (label: string, r: LoadResult, base: LoadResult) =>
    `  ${label}: ${fmt(r.requestsPerSecond)} req/s   p50 ${fmt(r.p50Ms, 1)} ms   p99 ${fmt(r.p99Ms, 1)} ms   non-2xx ${r.non2xx}   (${fmt(r.requestsPerSecond / base.requestsPerSecond, 3)} of bare)`;
  return [
    `\nJSON API: ${CONNECTIONS} connections on loopback, real PostgreSQL, a manager's JWT on every request`,
    line('bare Hono GET     ', b.bareGet, b.bareGet),
    line('GET /leads (20)   ', b.list, b.bareGet),
    line('bare Hono POST    ', b.barePost, b.barePost),
    line('POST /leads (new) ', b.create, b.barePost),
    `Outbound webhooks: ${b.webhooks.deliveries} signed deliveries to a loopback receiver (204), 8 at a time`,
    `  delivered         : ${fmt(b.webhooks.perSecond)} deliveries/s (${fmt(b.webhooks.seconds, 2)} s)`,
    `  plain POSTs       : ${fmt(b.webhooks.ceilingPerSecond)} req/s (ceiling: no database, no signature)   → ${fmt(b.webhooks.perSecond / b.webhooks.ceilingPerSecond, 3)} of it`,
  ];
}
