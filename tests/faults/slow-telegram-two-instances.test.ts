import { setTimeout as sleep } from 'node:timers/promises';
import { Api, type Transformer } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../config.js';
import { startApp, type RunningApp } from '../../main.js';
import { createBotHarness, TEST_BOT_TOKEN, type BotHarness } from '../support/bot-harness.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { TEST_BOT_INFO } from '../support/fake-telegram.js';
import { cardDeliveries, queueCards, seedAgents, type QueuedCard } from '../support/fault-fixtures.js';
import { pollUntil } from '../support/poll.js';
import { createTestDatabase } from '../support/test-db.js';

// Two instances share one outbox while Telegram takes 20 s to answer each
// call — longer than a claim's 15 s lease. The lease is renewed while the
// send is in progress, so the other instance, claiming every half second,
// never takes the row: no card is sent twice. First with the app exactly as
// main.ts wires it, at the numbers; then, scaled down, with lease
// renewal switched off, to show that this setup does catch a double send.

const TELEGRAM_SECONDS_PER_CALL = 20;
const DEFAULT_LEASE_MS = 15_000;
const CHATS = 6;

describe.runIf(process.env.DATABASE_URL)('two instances and a Telegram that takes 20 s per call', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let telegram: FakeTelegramServer;
  const apps: RunningApp[] = [];
  let cards: QueuedCard[];

  beforeAll(async () => {
    database = await createTestDatabase();
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN, latencyMs: TELEGRAM_SECONDS_PER_CALL * 1000 });
    const config = createConfig({
      NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', HOST: '127.0.0.1', PORT: '0',
      DATABASE_URL: database.databaseUrl, BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'two-instances', TELEGRAM_API_ROOT: telegram.apiRoot, PUBLIC_URL: 'https://crm.example.com',
      // Both look for due rows (and expired leases) every half second.
      JOBS_ENABLED: 'false', OUTBOX_POLL_MS: '500',
    });
    apps.push(await startApp({ config, botInfo: TEST_BOT_INFO }), await startApp({ config, botInfo: TEST_BOT_INFO }));
    cards = await queueCards(apps[0]!.db, await seedAgents(apps[0]!.db, CHATS, 7_700_000), 1);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await telegram?.close();
    await database?.drop();
  });

  it('delivers each card once, however long past its lease the send takes', async () => {
    const sends = () => telegram.calls.filter((c) => c.method === 'sendMessage');
    await telegram.waitFor(() => sends().length === CHATS, 10_000);
    const sentAt = Date.now();
    // Held past the lease: past 15 s another instance could take the row, were it not renewed.
    await pollUntil(async () => {
      const rows = await apps[1]!.db.selectFrom('notifications').select('status').execute();
      return rows.every((r) => r.status === 'sent') ? true : undefined;
    }, { what: 'every card recorded as sent', timeoutMs: TELEGRAM_SECONDS_PER_CALL * 1000 + 10_000, intervalMs: 250 })
      .catch((err: Error) => {
        throw new Error(`${err.message}; sendMessage calls: ${sends().length} (${sends().map((c) => c.outcome).join(', ')})`);
      });
    expect(Date.now() - sentAt).toBeGreaterThan(DEFAULT_LEASE_MS);
    expect(telegram.inFlight().filter((c) => c.method === 'sendMessage')).toEqual([]);
    expect(sends()).toHaveLength(CHATS);
    expect(cards.map((c) => cardDeliveries(telegram, c))).toEqual(cards.map(() => 1));
  }, 45_000);
});

describe('the same race, scaled down: a 4 s send against a 1 s lease', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  // A lease long enough that a renewal (every third of it) lands in time on a
  // machine busy with other work; a send four times as long as the lease.
  const LEASE_MS = 1_000;
  const SEND_MS = 4_000;

  /** A Bot API client whose every call waits `ms` before the fake answers. */
  function slowApi(ms: number): Api {
    const api = new Api(TEST_BOT_TOKEN);
    const slow: Transformer = async (prev, method, payload, signal) => {
      await sleep(ms);
      return h.fake.transformer(prev, method, payload, signal);
    };
    api.config.use(slow);
    return api;
  }

  async function race(renew: boolean): Promise<number[]> {
    await h.db.deleteFrom('notifications').execute();
    const cards = await queueCards(h.db, await seedAgents(h.db, 3, 7_800_000 + (renew ? 0 : 100)), 1);
    const core = renew ? h.core : { ...h.core, outbox: { ...h.core.outbox, renew: async () => {} } };
    const instances = [0, 1].map(() => h.delivery({ core, api: slowApi(SEND_MS), leaseMs: LEASE_MS, pollMs: 50 }));
    for (const d of instances) d.start();
    try {
      await pollUntil(async () => {
        const rows = await h.db.selectFrom('notifications').select('status').execute();
        return rows.every((r) => r.status === 'sent') ? true : undefined;
      }, { what: 'every card sent', timeoutMs: 20_000, intervalMs: 50 });
    } finally {
      await Promise.all(instances.map((d) => d.stop()));
    }
    return cards.map((c) => h.fake.sentTexts(c.chatId).filter((t) => new RegExp(`Lead #${c.leadId}(?!\\d)`).test(t)).length);
  }

  it('with the lease renewed, each card is sent once', async () => {
    expect(await race(true)).toEqual([1, 1, 1]);
  });

  it('with renewal switched off, the other instance sends them again (the test can fail)', async () => {
    const counts = await race(false);
    expect(counts.some((n) => n > 1)).toBe(true);
  });
});
