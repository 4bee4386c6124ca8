import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxDelivery } from '../../bot/outbox/delivery.js';
import { createBotHarness, TEST_BOT_TOKEN, type BotHarness } from '../support/bot-harness.js';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { cardDeliveries, queueCards, seedAgents, type QueuedCard } from '../support/fault-fixtures.js';
import { pollUntil } from '../support/poll.js';

// Telegram (the Bot API fake on loopback) is unreachable — every connection
// reset — for longer than the old retry window, then comes back. The old
// delivery gave up on a message after 5 attempts (about 30 s); now a message
// waits for Telegram as long as OUTBOX_MAX_AGE_HOURS allows. The delivery
// engine runs as in main.ts (its own Bot API client, over HTTP), with the
// backoff shortened from 1 s→30 s to 25→100 ms so that many failed attempts
// fit in seconds.

const OLD_RETRY_WINDOW_ATTEMPTS = 5;
const CHATS = 4;
const CARDS_PER_CHAT = 3;

// One database for the file (on PGlite, migrating one takes long on a busy machine).
let h: BotHarness;
beforeAll(async () => {
  h = await createBotHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('Telegram unreachable for longer than the old retry window, then back', () => {
  let telegram: FakeTelegramServer;
  let delivery: OutboxDelivery;
  let cards: QueuedCard[];

  beforeAll(async () => {
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN });
    telegram.offline();
    cards = await queueCards(h.db, await seedAgents(h.db, CHATS, 7_300_000), CARDS_PER_CHAT);
    delivery = h.delivery({
      api: new Api(TEST_BOT_TOKEN, { apiRoot: telegram.apiRoot, timeoutSeconds: 15 }),
      pollMs: 1_000, backoff: { minMs: 25, maxMs: 100 },
    });
  });
  afterAll(async () => {
    await delivery?.stop();
    await telegram?.close();
  });

  const rows = () => h.db.selectFrom('notifications').select(['id', 'status', 'attempts', 'last_error'])
    .where('id', 'in', cards.map((c) => c.notificationId)).orderBy('id').execute();

  it(`keeps every message while a probe fails twice as often as the old ${OLD_RETRY_WINDOW_ATTEMPTS} attempts, one probe at a time`, async () => {
    delivery.start();
    let probesAtOnce = 0;
    await pollUntil(async () => {
      const inFlight = delivery.state().inFlight;
      const tried = Math.max(...(await rows()).map((r) => r.attempts));
      // A second attempt means the first pass (one message per chat) has failed: probes from here on.
      if (tried >= 2) probesAtOnce = Math.max(probesAtOnce, inFlight);
      return tried >= 2 * OLD_RETRY_WINDOW_ATTEMPTS ? true : undefined;
    }, { what: `a card to have failed ${2 * OLD_RETRY_WINDOW_ATTEMPTS} times`, timeoutMs: 20_000, intervalMs: 10 });

    const now = await rows();
    // Nothing given up: the ones tried wait with the network error, the rest were never tried.
    expect(now.filter((r) => r.status === 'failed')).toEqual([]);
    expect(now.filter((r) => r.attempts > 0).every((r) => r.last_error?.startsWith('network:'))).toBe(true);
    expect(delivery.state().telegram).toBe('unreachable');
    // Once Telegram is known to be away, one message at a time probes it.
    expect(probesAtOnce).toBeLessThanOrEqual(1);
    expect(telegram.deliveredCount()).toBe(0);
  }, 30_000);

  it('delivers every card exactly once when Telegram is back, within seconds', async () => {
    const triedMost = Math.max(...(await rows()).map((r) => r.attempts));
    telegram.online();
    const back = Date.now();
    await pollUntil(async () => ((await rows()).every((r) => r.status === 'sent') ? true : undefined),
      { what: 'every card to be sent', timeoutMs: 10_000, intervalMs: 20 });
    expect(Date.now() - back).toBeLessThan(5_000);

    expect(cards.map((c) => cardDeliveries(telegram, c))).toEqual(cards.map(() => 1));
    expect(telegram.deliveredCount()).toBe(cards.length);
    expect(delivery.state().telegram).toBe('ok');
    // The probe the old code would have given up on long ago was delivered too.
    expect(triedMost).toBeGreaterThanOrEqual(2 * OLD_RETRY_WINDOW_ATTEMPTS);
  }, 20_000);
});

describe('Telegram answering 502 to every send that was under way', () => {
  let telegram: FakeTelegramServer;
  let delivery: OutboxDelivery;
  let cards: QueuedCard[];
  const BACKOFF = { minMs: 300, maxMs: 10_000 };

  beforeAll(async () => {
    telegram = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN });
    telegram.serverErrors();
    cards = await queueCards(h.db, await seedAgents(h.db, 10, 7_310_000), 1);
    delivery = h.delivery({
      api: new Api(TEST_BOT_TOKEN, { apiRoot: telegram.apiRoot, timeoutSeconds: 15 }), pollMs: 1_000, backoff: BACKOFF,
    });
  });
  afterAll(async () => {
    await delivery?.stop();
    await telegram?.close();
  });

  it('probes again after the shortest wait, not the longest: sends failing together count once', async () => {
    const sends = () => telegram.calls.filter((c) => c.method === 'sendMessage');
    delivery.start();
    // The first pass: one send per chat, all refused with 502.
    await telegram.waitFor(() => sends().length >= 10 && sends().every((c) => c.outcome === 'error'), 10_000);
    const failedAt = Math.max(...sends().map((c) => c.answeredAt!));
    await telegram.waitFor(() => sends().length >= 11, BACKOFF.maxMs + 5_000);
    const probeAt = sends()[10]!.at;
    expect(probeAt - failedAt).toBeLessThan(BACKOFF.minMs + 1_000);

    telegram.online();
    await pollUntil(async () => {
      const rows = await h.db.selectFrom('notifications').select('status').where('id', 'in', cards.map((c) => c.notificationId)).execute();
      return rows.every((r) => r.status === 'sent') ? true : undefined;
    }, { what: 'every card sent once Telegram answers again', timeoutMs: 10_000 });
    expect(cards.map((c) => cardDeliveries(telegram, c))).toEqual(cards.map(() => 1));
  }, 30_000);
});
