import type { Kysely } from 'kysely';
import { createBot } from '../../bot/index.js';
import type { BotContext } from '../../bot/context.js';
import type { BotDeps } from '../../bot/deps.js';
import { createConfig, type Config } from '../../config.js';
import type { Database, User } from '../../core/database.js';
import type { KeyValueStore } from '../../core/store/kv-store.js';
import { createRedisStore } from '../../core/store/redis-store.js';
import { createLogger } from '../../logger.js';
import { FakeTelegram, TEST_BOT_INFO, TelegramHarness, type ChatMessage } from './fake-telegram.js';
import { createTestDb } from './test-db.js';
import { createTestStore } from './test-store.js';

export const TEST_BOT_TOKEN = '123456:TEST-token-abcdefghijklmnopqrstuvwxyz';

export interface BotHarness {
  db: Kysely<Database>;
  store: KeyValueStore;
  config: Config;
  fake: FakeTelegram;
  tg: TelegramHarness<BotContext>;
  /** What the bot reported through onUpdate, in order. */
  updates: { type: string; seconds: number; ok: boolean }[];
  bot: ReturnType<typeof createBot>;
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
  close(): Promise<void>;
}

/**
 * A bot on a fresh test database and store, talking to the fake Telegram.
 * overrides: bot dependencies to replace (a logger to read, tighter rate limits).
 */
export async function createBotHarness(
  env: Record<string, string> = {}, overrides: Partial<Pick<BotDeps, 'logger' | 'limiter'>> = {},
): Promise<BotHarness> {
  const handle = await createTestDb();
  const store = createTestStore();
  const config = createConfig({
    NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', BOT_TOKEN: TEST_BOT_TOKEN, ...env,
  });
  const fake = new FakeTelegram();
  const updates: BotHarness['updates'] = [];
  const replicaStores: KeyValueStore[] = [];
  const newBot = (botStore: KeyValueStore = store) => createBot({
    config, db: handle.db, store: botStore, logger: createLogger(config), botInfo: TEST_BOT_INFO, apiTransformers: [fake.transformer],
    onUpdate: (type, seconds, ok) => updates.push({ type, seconds, ok }),
    ...overrides,
  });
  const bot = newBot();
  const tg = new TelegramHarness(bot, fake);
  return {
    db: handle.db, store, config, fake, tg, bot, updates,
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
      return new TelegramHarness(newBot(replicaStore), fake);
    },
    close: async () => {
      for (const s of replicaStores) await s.close();
      await store.close();
      await handle.close();
    },
  };
}
