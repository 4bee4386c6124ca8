import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../core/create-db.js';
import type { KeyValueStore } from '../../core/store/kv-store.js';
import { createTestDb } from '../support/test-db.js';
import { createTestStore } from '../support/test-store.js';
import type { TelegramStatus } from '../../http/routes/health.js';
import { buildApp, captureLogger, testConfig } from './http-harness.js';

let handle: DbHandle;
let store: ReturnType<typeof createTestStore>;

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
});
afterAll(async () => {
  await store.close();
  await handle.close();
});

async function getHealth(app: { request: (path: string) => Response | Promise<Response> }) {
  const res = await app.request('/health');
  return { res, body: await res.json() as Record<string, any> };
}

describe('GET /health (§15)', () => {
  it('reports every component with its latency, the uptime and the version', async () => {
    const { app } = buildApp({ handle, store });

    const { res, body } = await getHealth(app);

    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body.components).sort()).toEqual(['ai', 'database', 'redis', 'scheduler', 'telegram']);
    for (const c of Object.values<any>(body.components)) expect(typeof c.latency_ms).toBe('number');
    expect(body.components.database.status).toBe('healthy');
    expect(body.components.redis).toMatchObject(
      store.kind === 'memory' ? { status: 'healthy', mode: 'in-process' } : { status: 'healthy', mode: 'redis' });
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(5);
    expect(body.version).toBe('1.2.3');
  });

  it("shows the bot's state: degraded while it connects or Telegram does not take messages, healthy once both work", async () => {
    let status: TelegramStatus = { connection: 'connecting', delivery: { telegram: 'ok', inFlight: 0 } };
    const { app } = buildApp({ handle, store, telegramStatus: () => status, config: testConfig({ OPENAI_API_KEY: 'k' }) });

    expect((await getHealth(app)).body.components.telegram).toMatchObject({ status: 'degraded', connection: 'connecting' });
    status = { connection: 'connected', delivery: { telegram: 'unreachable', inFlight: 1 } };
    expect((await getHealth(app)).body.components.telegram).toMatchObject({ status: 'degraded', delivery: 'unreachable' });
    status = { connection: 'connected', delivery: { telegram: 'ok', inFlight: 0 } };
    const { body } = await getHealth(app);
    expect(body.components.telegram).toMatchObject({ status: 'healthy', connection: 'connected', delivery: 'ok' });
  });

  it('without an AI key, is degraded (fallback scoring) but still answers 200', async () => {
    const { app } = buildApp({ handle, store });

    const { res, body } = await getHealth(app);

    expect(res.status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.components.ai).toMatchObject({ status: 'degraded', note: 'fallback scoring' });
  });

  it('with an AI key and a running scheduler, is healthy', async () => {
    const lastRunAt = new Date('2030-01-01T00:00:00Z');
    const { app } = buildApp({
      handle, store,
      config: testConfig({ OPENAI_API_KEY: 'sk-test' }),
      schedulerStatus: () => ({ running: true, lastRunAt }),
    });

    const { body } = await getHealth(app);

    expect(body.status).toBe('healthy');
    expect(body.components.ai).toMatchObject({ status: 'healthy', model: 'gpt-4o-mini' });
    expect(body.components.scheduler).toMatchObject({ status: 'healthy', running: true, last_run_at: lastRunAt.toISOString() });
    expect(JSON.stringify(body)).not.toContain('sk-test');
  });

  it('when the scheduler should run but does not, is degraded', async () => {
    const { app } = buildApp({
      handle, store,
      config: testConfig({ OPENAI_API_KEY: 'sk-test' }),
      schedulerStatus: () => ({ running: false, lastRunAt: null }),
    });

    const { body } = await getHealth(app);

    expect(body.status).toBe('degraded');
    expect(body.components.scheduler).toMatchObject({ status: 'degraded', running: false });
  });

  it('when the database is down, is unhealthy with 503 and shows no internals', async () => {
    // Nothing listens on port 1: every query fails to connect.
    const dead = await createDb({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', poolSize: 1 });
    const logs = captureLogger();
    const { app } = buildApp({ handle: dead, store, logger: logs.logger });

    const { res, body } = await getHealth(app);

    expect(res.status).toBe(503);
    expect(body.status).toBe('unhealthy');
    expect(body.components.database).toEqual({ status: 'unhealthy', error: 'unavailable', latency_ms: expect.any(Number) });
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    expect(logs.lines.some((l) => l.msg === 'health_check_failed' && l.component === 'database')).toBe(true);
    await dead.close();
  });

  it('when Redis does not answer in time, reports a timeout and stays up (degraded)', async () => {
    const hanging: KeyValueStore = { ...store, kind: 'redis', ping: () => new Promise(() => {}) };
    const { app } = buildApp({ handle, store: hanging, healthTimeoutMs: 50, config: testConfig({ OPENAI_API_KEY: 'k' }) });

    const started = Date.now();
    const { res, body } = await getHealth(app);

    expect(Date.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.components.redis).toMatchObject({ status: 'unhealthy', error: 'timeout' });
    expect(body.components.database.status).toBe('healthy');
  });
});
