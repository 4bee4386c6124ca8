import { Api } from 'grammy';
import type { Kysely } from 'kysely';
import { createBot } from '../../bot/index.js';
import { createChartJobs, type ChartJobs } from '../../bot/charts/chart-jobs.js';
import type { BotContext } from '../../bot/context.js';
import type { BotDeps } from '../../bot/deps.js';
import { createOutboxDelivery, type OutboxDelivery, type OutboxDeliveryDeps } from '../../bot/outbox/delivery.js';
import { createPacer } from '../../bot/outbox/pacer.js';
import { createConfig, type Config } from '../../config.js';
import { createCore, type Core, type Database, type KeyValueStore, type User } from '../../core/index.js';
import { createRedisStore } from '../../core/store/redis-store.js';
import { createLogger, type Logger } from '../../logger.js';
import { FakeTelegram, TEST_BOT_INFO, TelegramHarness, type ChatMessage } from './fake-telegram.js';
import { createTestDb } from './test-db.js';
import { createTestStore } from './test-store.js';

export const TEST_BOT_TOKEN = '123456:TEST-token-abcdefghijklmnopqrstuvwxyz';

export interface BotHarness {
  db: Kysely<Database>;
  core: Core;
  store: KeyValueStore;
  config: Config;
  fake: FakeTelegram;
  tg: TelegramHarness<BotContext>;
  /** What the bot reported through onUpdate, in order. */
  updates: { type: string; seconds: number; ok: boolean }[];
  bot: ReturnType<typeof createBot>;
  /** The bot's chart queue: `await charts.idle()` after /report until its photos are sent. */
  charts: ChartJobs;
  /** The Telegram user object of a CRM user (for sending updates as them). */
  as(user: Pick<User, 'telegram_id' | 'full_name'>): ReturnType<TelegramHarness<BotContext>['user']>;
  /** Sends `/lead <id>` as the user and returns the card the bot sent back. */
  openCard(user: Pick<User, 'telegram_id' | 'full_name'>, leadId: number): Promise<ChatMessage>;
  /** A bot message as the chat shows it now, after any edits. */
  current(message: ChatMessage): ChatMessage;
  /** The last text the bot sent to the user (sendMessage), if any. */
  lastText(user: Pick<User, 'telegram_id'>): string | undefined;
  /** Another bot instance on the same database, store and fake Telegram (a second replica). */
  anotherInstance(): TelegramHarness<BotContext>;
  /**
   * Outbox delivery to the fake Telegram on its own API client (no auto-retry,
   * as in main.ts), without pacing unless asked: tests call runOnce().
   */
  delivery(overrides?: Partial<OutboxDeliveryDeps>): OutboxDelivery;
  /** Delivers everything the outbox holds that is due now (each chat's messages in order), as delivery would. */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A bot on a fresh test database and store, talking to the fake Telegram.
 * env: settings (e.g. RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '3' for a tight limit).
 * overrides: a logger to read; now: core's clock (a controllable one for "a
 * minute later": delivery takes what is due by it).
 */
export async function createBotHarness(
  env: Record<string, string> = {}, overrides: { logger?: Logger; storeTrouble?: () => boolean; now?: () => Date } = {},
): Promise<BotHarness> {
  const handle = await createTestDb();
  const store = createTestStore();
  const config = createConfig({
    NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', BOT_TOKEN: TEST_BOT_TOKEN,
    // Always working hours unless a test says otherwise: no off-hours auto-reply depends on the clock.
    WORKING_HOURS: 'mon-sun 00:00-24:00', ...env,
  });
  const logger = overrides.logger ?? createLogger(config);
  const fake = new FakeTelegram();
  const updates: BotHarness['updates'] = [];
  const replicaStores: KeyValueStore[] = [];
  const charts = createChartJobs(logger);
  const newCore = (coreStore: KeyValueStore) => createCore({
    db: handle.db, store: coreStore, config, logger, listen: handle.listen, ...(overrides.now ? { now: overrides.now } : {}),
  });
  const core = newCore(store);
  const newBot = (botStore: KeyValueStore = store, botCore: Core = core) => createBot({
    config, core: botCore, store: botStore, logger, botInfo: TEST_BOT_INFO, apiTransformers: [fake.transformer],
    fetchFile: fake.fetchFile, chartJobs: charts,
    onUpdate: (type, seconds, ok) => updates.push({ type, seconds, ok }),
    ...(overrides.storeTrouble ? { storeTrouble: overrides.storeTrouble } : {}),
  } satisfies BotDeps);
  const bot = newBot();
  const tg = new TelegramHarness(bot, fake);
  const newDelivery = (o: Partial<OutboxDeliveryDeps> = {}) => {
    const api = new Api(TEST_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
    api.config.use(fake.transformer);
    return createOutboxDelivery({
      core, api, logger, pollMs: 60_000, pacer: createPacer({ perChatIntervalMs: 0, perSecond: 1_000_000 }), ...o,
    });
  };
  const deliverer = newDelivery();
  return {
    db: handle.db, core, store, config, fake, tg, bot, updates, charts,
    as: (user) => tg.user(user.telegram_id, { firstName: user.full_name }),
    async openCard(user, leadId) {
      await tg.send(tg.user(user.telegram_id, { firstName: user.full_name }), `/lead ${leadId}`);
      return fake.lastMessage(user.telegram_id);
    },
    current: (m) => fake.message(m.chatId, m.messageId),
    lastText: (user) => fake.sentTexts(user.telegram_id).at(-1),
    anotherInstance: () => {
      // With Redis, a replica has its own connection to the same keys, as a second process would;
      // the in-process store can only be shared as the same object (one instance, by design).
      const replicaStore = process.env.REDIS_URL
        ? createRedisStore({ url: process.env.REDIS_URL, keyPrefix: store.keyPrefix })
        : store;
      if (replicaStore !== store) replicaStores.push(replicaStore);
      return new TelegramHarness(newBot(replicaStore, newCore(replicaStore)), fake);
    },
    deliver: async () => {
      // Each pass takes one message per chat; as many passes as the longest queue needs.
      for (let i = 0; i < 50 && (await deliverer.runOnce()).length > 0; i++);
    },
    delivery: newDelivery,
    close: async () => {
      for (const s of replicaStores) await s.close();
      await store.close();
      await handle.close();
    },
  };
}
