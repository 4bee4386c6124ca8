import { randomBytes } from 'node:crypto';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../config.js';
import { createRedisStore } from '../../core/store/redis-store.js';
import { startApp, TELEGRAM_WEBHOOK_PATH, type RunningApp } from '../../main.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { FakeTelegram, TEST_BOT_INFO, TelegramHarness, type ChatMessage } from '../support/fake-telegram.js';
import { createTestDatabase } from '../support/test-db.js';

// A customer's conversation end to end (§12), over real HTTP on loopback in webhook mode: a customer
// writes, the card reaches the assignee, the assignee replies and the customer receives it; outside
// working hours the bot answers once; a customer who blocked the bot; an update Telegram delivers twice.

const ADMIN_ID = 4301;
const AGENT_ID = 4302;
const CUSTOMER_ID = 4303;
const WEBHOOK_SECRET = 'e2e-customer-secret';

let app: RunningApp;
let drop: () => Promise<void>;
const fake = new FakeTelegram();
const redisPrefix = `e2e:${randomBytes(4).toString('hex')}:`;
let tg: TelegramHarness<any>;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  const config = createConfig({
    NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1', PORT: '0', PUBLIC_URL: 'https://crm.example.com',
    DATABASE_URL: database.databaseUrl ?? '', DATA_DIR: database.dataDir ?? '',
    REDIS_URL: process.env.REDIS_URL ?? '', REDIS_KEY_PREFIX: redisPrefix,
    BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
    // Nobody works: every message is outside working hours.
    WORKING_HOURS: 'none', TEAM_TIMEZONE: 'Europe/Kyiv',
    JOBS_ENABLED: 'false', OUTBOX_POLL_MS: '600000',
  });
  app = await startApp({ config, botInfo: TEST_BOT_INFO, apiTransformers: [fake.transformer] });
  tg = new TelegramHarness(app.bot!, fake);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (process.env.REDIS_URL) {
    const redis = createRedisStore({ url: process.env.REDIS_URL });
    await redis.ping();
    const keys = await redis.client.keys(`${redisPrefix}*`);
    if (keys.length) await redis.client.del(...keys);
    await redis.close();
  }
});

async function deliver(update: unknown): Promise<Response> {
  const res = await fetch(`${app.url}${TELEGRAM_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  return res;
}
const person = (id: number, name: string) => ({ id, is_bot: false as const, first_name: name, language_code: 'en' });
const admin = person(ADMIN_ID, 'Anna');
const agent = person(AGENT_ID, 'Oleh');
const customer = { ...person(CUSTOMER_ID, 'Iryna'), username: 'iryna_k' };

async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const press = (from: ReturnType<typeof person>, message: ChatMessage, label: string) =>
  deliver(tg.callbackUpdate(from, message, tg.dataOf(message, label)));

describe('a customer\'s conversation, end to end', () => {
  it('the admin invites an agent', async () => {
    await deliver(tg.messageUpdate(admin, '/start'));
    await deliver(tg.messageUpdate(admin, '/invite'));
    await press(admin, fake.lastMessage(ADMIN_ID), 'agent');
    await press(admin, fake.lastMessage(ADMIN_ID), '7 days');
    const payload = /start=(inv_[\w-]+)/.exec(fake.lastMessage(ADMIN_ID).text)![1]!;
    await deliver(tg.messageUpdate(agent, `/start ${payload}`));
    expect(fake.sentTexts(AGENT_ID).at(-1)).toContain('Welcome to the team');
  });

  let leadId: number;

  it('a customer writes; the card with their message reaches the agent; the bot greets them and answers once for off-hours', async () => {
    await deliver(tg.messageUpdate(customer, 'Hi! Do you deliver to Lviv?'));
    const card = await eventually(() => fake.chat(AGENT_ID).find((m) => m.text.includes('New customer in Telegram')), 'the card');
    expect(card.text).toContain('Do you deliver to Lviv?');
    leadId = Number(/Lead #(\d+)/.exec(card.text)![1]);
    const texts = await eventually(() => (fake.sentTexts(CUSTOMER_ID).length >= 2 ? fake.sentTexts(CUSTOMER_ID) : undefined), 'the auto-replies');
    expect(texts).toEqual([
      'Hello! Thank you for writing to us. A manager will answer you here shortly.',
      'We are outside working hours right now. We will answer as soon as we are back.',
    ]);
    // A second message in the same off-hours period gets no second off-hours reply.
    await deliver(tg.messageUpdate(customer, 'And to Odesa?'));
    await app.deliverNow();
    const templates = await app.db.selectFrom('conversation_messages').select('details').where('direction', '=', 'out').execute();
    expect(templates.map((t) => t.details?.template)).toEqual(['greeting', 'off_hours']);
  });

  it('the agent replies from Telegram; the customer receives it from the bot', async () => {
    const card = fake.chat(AGENT_ID).find((m) => m.text.includes(`Lead #${leadId}`))!;
    await press(agent, card, 'Reply');
    await deliver(tg.messageUpdate(agent, 'Yes, we deliver all over Ukraine within 2 days.'));
    await eventually(() => fake.sentTexts(CUSTOMER_ID).find((t) => t.startsWith('Yes, we deliver')), 'the reply');
    // Telegram has it; the mark-sent commits just after its answer, so wait for the row to say so.
    const stored = await eventually(async () => {
      const row = await app.db.selectFrom('conversation_messages').select(['status', 'sender_user_id'])
        .where('text', '=', 'Yes, we deliver all over Ukraine within 2 days.').executeTakeFirstOrThrow();
      return row.status === 'queued' ? undefined : row;
    }, 'the reply marked as sent');
    expect(stored.status).toBe('sent');
  });

  it('an update Telegram delivers twice is stored once', async () => {
    const update: Update = tg.messageUpdate(customer, 'Great, thanks');
    await deliver(update);
    await deliver(update);
    const rows = await app.db.selectFrom('conversation_messages').select('id').where('text', '=', 'Great, thanks').execute();
    expect(rows).toHaveLength(1);
    const lead = await app.db.selectFrom('leads').select('message_count').where('id', '=', leadId).executeTakeFirstOrThrow();
    expect(lead.message_count).toBe(3);
  });

  it('a customer who blocked the bot: the agent is told their reply was not delivered', async () => {
    fake.blockedBy(CUSTOMER_ID);
    await deliver(tg.messageUpdate(agent, '/inbox'));
    const inbox = await eventually(() => fake.chat(AGENT_ID).find((m) => m.text.includes('Inbox')), 'the inbox');
    await press(agent, inbox, 'Iryna');
    const page = fake.lastMessage(AGENT_ID);
    expect(page.text).toContain('Conversation with Iryna');
    await press(agent, page, 'Reply');
    await deliver(tg.messageUpdate(agent, 'Shall I book the delivery?'));
    await eventually(() => fake.sentTexts(AGENT_ID).find((t) => t.includes('they have blocked the bot')), 'the failure notice');
    const failed = await app.db.selectFrom('conversation_messages').select('status').where('text', '=', 'Shall I book the delivery?').executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
  });
});
