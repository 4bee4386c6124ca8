import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../config.js';
import { createDb, type DbHandle } from '../../core/create-db.js';
import { startApp, type RunningApp } from '../../main.js';
import { printAppOutputOnFailure, spawnAppProcess, type AppProcess } from '../support/app-process.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { TEST_BOT_INFO } from '../support/fake-telegram.js';
import { cardCalls, cardDeliveries, queueCards, seedAgents, type QueuedCard } from '../support/fault-fixtures.js';
import { pollUntil } from '../support/poll.js';
import { createTestDatabase } from '../support/test-db.js';

// The app is killed with SIGKILL in the middle of delivering a queue of cards
// (the fake Telegram answers each send after 400 ms, so dozens are in flight),
// then started again on the same database. A send that was in flight at the
// kill is in doubt: Telegram may have delivered it, the app never learned.
// Those may arrive twice (at least once); every other card exactly once.

const AGENTS = 40;
const CARDS_PER_AGENT = 2;
const DEFAULT_LEASE_MS = 15_000;

describe.runIf(process.env.DATABASE_URL)('kill -9 in the middle of delivery', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let direct: DbHandle;
  let telegram: FakeTelegramServer;
  let first: AppProcess;
  let second: RunningApp | undefined;
  let cards: QueuedCard[];
  let env: Record<string, string>;
  printAppOutputOnFailure(() => [first]);

  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createDb({ databaseUrl: database.databaseUrl, poolSize: 2 });
    cards = await queueCards(direct.db, await seedAgents(direct.db, AGENTS, 7_400_000), CARDS_PER_AGENT);
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN, latencyMs: 400 });
    env = {
      DATABASE_URL: database.databaseUrl!, BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'kill9-secret', TELEGRAM_API_ROOT: telegram.apiRoot, JOBS_ENABLED: 'false',
    };
  });
  afterAll(async () => {
    await first?.stop();
    await second?.close();
    await telegram?.close();
    await direct?.close();
    await database?.drop();
  });

  const statuses = async () => new Map((await direct.db.selectFrom('notifications').select(['id', 'status']).execute())
    .map((r) => [r.id, r.status]));
  let killedAt = 0;
  let inDoubt: QueuedCard[] = [];
  let untouched: QueuedCard[] = [];

  it('a kill while sends are in flight leaves them in doubt, and nothing else', async () => {
    first = spawnAppProcess({ env });
    // Mid-delivery: some cards delivered and recorded, a batch in flight, more still queued.
    await telegram.waitFor(() => telegram.deliveredCount() >= 10
      && telegram.inFlight().filter((c) => c.method === 'sendMessage').length >= 5, 30_000);
    first.kill9();
    killedAt = Date.now();
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });

    const status = await statuses();
    // In doubt: Telegram got the card from the dead process, which never recorded it sent.
    inDoubt = cards.filter((c) => status.get(c.notificationId) !== 'sent' && cardCalls(telegram, c).length > 0);
    // Cards nobody had taken, in chats the dead process held nothing of: a chat's messages go in
    // order, so one behind a claim of the dead process waits for that claim's lease to run out.
    const heldChats = new Set(cards.filter((c) => status.get(c.notificationId) === 'sending').map((c) => c.chatId));
    untouched = cards.filter((c) => status.get(c.notificationId) === 'pending' && !heldChats.has(c.chatId));
    expect(inDoubt.length).toBeGreaterThanOrEqual(5);
    expect(untouched.length).toBeGreaterThan(0);
    // Those in flight at the kill: Telegram saw the client hang up before it answered.
    const hungUp = telegram.calls.filter((c) => c.method === 'sendMessage' && c.clientGone);
    expect(hungUp.length).toBeGreaterThan(0);
    for (const call of hungUp) {
      expect(inDoubt.some((c) => Number(call.payload.chat_id) === c.chatId)).toBe(true);
    }
    // Recorded sends are never in doubt, and none was sent twice by the dead process.
    for (const c of cards) expect(cardDeliveries(telegram, c)).toBeLessThanOrEqual(1);
  }, 45_000);

  it('after a restart the cards nobody had taken arrive within seconds, and every card once leases run out', async () => {
    telegram.setLatency(20);
    // The restart, in this process (quicker than another child; the same startApp as main.ts).
    second = await startApp({
      config: createConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' }), botInfo: TEST_BOT_INFO,
    });
    const restartedAt = Date.now();
    const delivered = (list: QueuedCard[]) => list.every((c) => cardDeliveries(telegram, c) >= 1);
    await pollUntil(() => (delivered(untouched) ? true : undefined), { what: 'the untaken cards to arrive', timeoutMs: 10_000 });
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
    // Those the dead process had claimed are taken again when their lease runs out.
    await pollUntil(() => (delivered(cards) ? true : undefined),
      { what: 'every card to arrive', timeoutMs: DEFAULT_LEASE_MS + 15_000, intervalMs: 100 });
    expect(Date.now() - killedAt).toBeLessThan(DEFAULT_LEASE_MS + 15_000);
    await pollUntil(async () => ([...(await statuses()).values()].every((s) => s === 'sent') ? true : undefined),
      { what: 'every card recorded as sent', timeoutMs: 5_000 });
  }, 50_000);

  it('each card arrived exactly once, except those in doubt at the kill, which arrived at most twice', async () => {
    const doubtful = new Set(inDoubt.map((c) => c.notificationId));
    const twice = cards.filter((c) => cardDeliveries(telegram, c) > 1);
    expect(twice.filter((c) => !doubtful.has(c.notificationId))).toEqual([]);
    expect(inDoubt.map((c) => cardDeliveries(telegram, c)).every((n) => n === 1 || n === 2)).toBe(true);
    expect(cards.filter((c) => cardDeliveries(telegram, c) === 0)).toEqual([]);
  });
});
