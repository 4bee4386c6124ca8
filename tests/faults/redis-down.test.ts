import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printAppOutputOnFailure, startAppProcess, type AppProcess } from '../support/app-process.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { databaseEnv } from '../support/fault-fixtures.js';
import { pollUntil } from '../support/poll.js';
import { hasRedisServer, startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { createTestDatabase } from '../support/test-db.js';

// Redis goes away under the running app (a redis-server of the test's own,
// stopped and started again on the same port; then frozen with SIGSTOP):
// the bot keeps answering from the in-process store, /health says degraded,
// and once Redis is back the app uses it again by itself.

const ADMIN_ID = 7_600_001;
const PREFIX = 'fault:';
/** An answer must come this fast even while Redis is away or hangs (its commands give up after 500 ms). */
const ANSWER_WITHIN_MS = 5_000;
/** What the bot answers an admin with no leads: the real answer, not an apology. */
const EXPECTED: Record<string, RegExp> = { '/start': /signed in as <b>admin<\/b>/, '/leads': /^No open leads\.$/ };

describe.runIf(hasRedisServer())('Redis down under the running bot', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: PrivateRedis;
  let telegram: FakeTelegramServer;
  let app: AppProcess;
  printAppOutputOnFailure(() => [app]);

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await startPrivateRedis();
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN });
    app = await startAppProcess({
      env: {
        ...databaseEnv(database), REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX,
        BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'polling', TELEGRAM_API_ROOT: telegram.apiRoot,
        ADMIN_TELEGRAM_IDS: String(ADMIN_ID), JOBS_ENABLED: 'false',
      },
      ready: { log: 'bot_started' },
      timeoutMs: 50_000, // on PGlite the child migrates a fresh database first
    });
  }, 70_000);
  afterAll(async () => {
    await app?.stop();
    await telegram?.close();
    await redis?.close();
    await database?.drop();
  });

  /** The admin writes `text` to the bot; resolves with the bot's answer and how long it took. */
  async function ask(text: string): Promise<{ text: string; ms: number }> {
    const before = telegram.deliveredCount(ADMIN_ID);
    const from = { id: ADMIN_ID, is_bot: false as const, first_name: 'Anna', language_code: 'en' };
    const started = Date.now();
    telegram.queueUpdate({
      message: {
        message_id: telegram.telegram.nextMessageId(), date: Math.floor(started / 1000),
        chat: { id: ADMIN_ID, type: 'private', first_name: 'Anna' }, from, text,
        ...(text.startsWith('/') ? { entities: [{ type: 'bot_command' as const, offset: 0, length: text.split(' ')[0]!.length }] } : {}),
      },
    });
    await telegram.waitFor(() => telegram.deliveredCount(ADMIN_ID) > before, 15_000);
    const answer = { text: telegram.sentTexts(ADMIN_ID).at(-1)!, ms: Date.now() - started };
    expect(answer.text).toMatch(EXPECTED[text]!);
    return answer;
  }

  async function health(): Promise<{ status: number; body: any }> {
    const res = await fetch(`${app.url}/health`);
    return { status: res.status, body: await res.json() };
  }

  /** Keys the app keeps in the private Redis now. */
  async function keysInRedis(): Promise<string[]> {
    const client = new Redis(redis.url, { lazyConnect: true });
    try {
      await client.connect();
      return await client.keys(`${PREFIX}*`);
    } finally {
      client.disconnect();
    }
  }

  it('answers with Redis up, and keeps its state there', async () => {
    await ask('/start');
    await ask('/leads');
    expect(await keysInRedis()).not.toEqual([]);
    expect((await health()).body.components.redis).toMatchObject({ status: 'healthy', mode: 'redis' });
  });

  it('answers while Redis is down, and /health says degraded', async () => {
    await redis.stop('SIGKILL');
    for (const command of ['/leads', '/start', '/leads']) {
      expect((await ask(command)).ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    await app.waitForLog('store_degraded');
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', components: { redis: { status: 'unhealthy' }, database: { status: 'healthy' } } });
  }, 30_000);

  it('goes back to Redis by itself once it is up again', async () => {
    await redis.start(); // empty: it kept nothing on disk
    await app.waitForLog('store_recovered', 10_000);
    expect((await health()).body.components.redis).toMatchObject({ status: 'healthy' });
    await ask('/leads');
    await pollUntil(async () => ((await keysInRedis()).length > 0 ? true : undefined), { what: 'the app to write to Redis again' });
  }, 30_000);

  it('answers while Redis hangs (connected, never replying), then recovers', async () => {
    const degradedBefore = app.logs().filter((l) => l.msg === 'store_degraded').length;
    redis.pause();
    try {
      for (const command of ['/leads', '/start']) {
        expect((await ask(command)).ms).toBeLessThan(ANSWER_WITHIN_MS);
      }
      expect(app.logs().filter((l) => l.msg === 'store_degraded').length).toBe(degradedBefore + 1);
    } finally {
      redis.resume();
    }
    await pollUntil(async () => ((await health()).body.components.redis.status === 'healthy' ? true : undefined),
      { what: '/health to show Redis healthy again', timeoutMs: 10_000, intervalMs: 100 });
    await ask('/leads');
  }, 40_000);

  it('the process rode it out', () => {
    expect(app.logs().map((l) => l.msg)).not.toContain('crashed');
  });
});
