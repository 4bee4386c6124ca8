import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../config.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { createRedisStore } from '../../core/store/redis-store.js';
import { startApp, TELEGRAM_WEBHOOK_PATH, type RunningApp } from '../../main.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { FakeTelegram, TEST_BOT_INFO, TelegramHarness, type ChatMessage } from '../support/fake-telegram.js';
import { pollUntil } from '../support/poll.js';
import { readFixture } from '../support/fixtures.js';
import { createTestDatabase } from '../support/test-db.js';

// The main job over real HTTP on loopback: a Tilda form posts a lead, the
// card reaches its agent in Telegram, the agent works it with buttons (as
// webhook updates), and the stale-lead job brings it back when it goes quiet.

const ADMIN_ID = 4201;
const AGENT_ID = 4202;
const WEBHOOK_SECRET = 'e2e-webhook-secret';

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
    // The test runs the job itself; the outbox is woken by commits, not the poll.
    JOBS_ENABLED: 'false', OUTBOX_POLL_MS: '600000',
  });
  app = await startApp({ config, botInfo: TEST_BOT_INFO, apiTransformers: [fake.transformer] });
  tg = new TelegramHarness(app.bot!, fake);
});

afterAll(async () => {
  await app?.close();
  await drop?.();
  if (process.env.REDIS_URL) {
    const redis = createRedisStore({ url: process.env.REDIS_URL });
    await redis.ping(); // no offline queue: wait for the connection before using the client directly
    const keys = await redis.client.keys(`${redisPrefix}*`);
    if (keys.length) await redis.client.del(...keys);
    await redis.close();
  }
});

/** Telegram delivering an update to our webhook, over HTTP. */
async function deliver(update: unknown, secret = WEBHOOK_SECRET): Promise<Response> {
  return fetch(`${app.url}${TELEGRAM_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    body: JSON.stringify(update),
  });
}

const user = (id: number, name: string) => ({ id, is_bot: false as const, first_name: name, language_code: 'en' });
const admin = user(ADMIN_ID, 'Anna');
const agent = user(AGENT_ID, 'Oleh');

async function press(from: ReturnType<typeof user>, message: ChatMessage, label: string): Promise<void> {
  const res = await deliver(tg.callbackUpdate(from, message, tg.dataOf(message, label)));
  expect(res.status).toBe(200);
}

async function eventually<T>(probe: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the main job, end to end', () => {
  it('registers the webhook with its secret, and refuses updates without it', async () => {
    expect(fake.callsTo('setWebhook')[0]).toMatchObject({
      url: `https://crm.example.com${TELEGRAM_WEBHOOK_PATH}`, secret_token: WEBHOOK_SECRET,
    });
    // The default command menu, for people not registered yet; users get their role's own on their first update.
    expect(fake.callsTo('setMyCommands')[0]).toMatchObject({ scope: { type: 'default' } });
    expect(fake.callsTo('setMyCommands')[0]!.commands.map((c: { command: string }) => c.command)).toEqual(['start', 'help']);
    expect((await deliver(tg.messageUpdate(admin, '/start'), 'wrong')).status).toBe(401);
    expect(await app.db.selectFrom('users').select('id').execute()).toEqual([]);
  });

  it('an admin invites a new agent, who joins with the link', async () => {
    expect((await deliver(tg.messageUpdate(admin, '/start'))).status).toBe(200);
    expect((await deliver(tg.messageUpdate(admin, '/invite'))).status).toBe(200);
    await press(admin, fake.lastMessage(ADMIN_ID), 'agent');
    await press(admin, fake.lastMessage(ADMIN_ID), '7 days');
    const payload = /start=(inv_[\w-]+)/.exec(fake.lastMessage(ADMIN_ID).text)?.[1];
    expect(payload).toBeTruthy();
    expect((await deliver(tg.messageUpdate(agent, `/start ${payload}`))).status).toBe(200);
    // The admin is told, through the outbox woken by the commit.
    await eventually(() => fake.sentTexts(ADMIN_ID).find((t) => t.includes('joined the team as <b>agent</b>')), 'the invite notice');
    const row = await app.db.selectFrom('users').selectAll().where('telegram_id', '=', AGENT_ID).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ role: 'agent', status: 'active' });
    expect(fake.commandNames(ADMIN_ID)).toEqual(expect.arrayContaining(['leads', 'find', 'lead', 'team', 'bulk', 'users', 'settings']));
  });

  let leadId: number;

  it('a Tilda submission becomes a lead whose card reaches the agent', async () => {
    const { source, secret, webhookPath } = await createFormSource(app.db, { name: 'Landing', provider: 'tilda' });
    const res = await fetch(`${app.url}${webhookPath}?secret=${encodeURIComponent(secret)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: readFixture('tilda.txt'),
    });
    expect(res.status).toBe(202);
    const { submission_id } = (await res.json()) as { submission_id: number };
    // The app's intake worker turns the journaled submission into the lead, woken by the 202 itself.
    leadId = await pollUntil(async () => (await app.db.selectFrom('intake_submissions').select('lead_id')
      .where('id', '=', submission_id).where('status', '=', 'done').executeTakeFirst())?.lead_id ?? undefined,
    { what: 'the lead from the journal', timeoutMs: 10_000, intervalMs: 20 });
    const lead = await app.db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({
      full_name: 'Иван Петров', phone: '+79991234567', email: 'ivan@example.com',
      utm_source: 'yandex', utm_campaign: 'autumn_sale', utm_content: 'ad1', utm_term: 'crm', form_source_id: source.id,
    });
    // Delivered after the HTTP answer, woken by the commit rather than the (10-minute) poll.
    const card = await eventually(() => fake.chat(AGENT_ID).find((m) => m.text.includes(`#${leadId}`)), 'the lead card');
    expect(card.text).toContain('Иван Петров');
    expect(card.text).toContain('+79991234567');
    expect(card.text).toContain('yandex');
  });

  it('the agent presses Contacted, confirms, and the card shows the new stage', async () => {
    const card = fake.chat(AGENT_ID).find((m) => m.text.includes(`#${leadId}`))!;
    await press(agent, card, 'Contacted');
    const asking = fake.message(AGENT_ID, card.messageId);
    expect(asking.text).toContain(`Move lead #${leadId} to`);
    await press(agent, asking, 'Confirm');

    const lead = await app.db.selectFrom('leads').selectAll().where('id', '=', leadId).executeTakeFirstOrThrow();
    expect(lead.stage).toBe('CONTACTED');
    const history = await app.db.selectFrom('lead_history').selectAll().where('lead_id', '=', leadId)
      .where('action', '=', 'STAGE_CHANGED').execute();
    expect(history).toMatchObject([{ from_stage: 'NEW', to_stage: 'CONTACTED', actor_user_id: lead.assigned_to }]);
    const edited = fake.message(AGENT_ID, card.messageId);
    expect(edited.text).toContain('CONTACTED');
    expect(edited.markup?.inline_keyboard.flat().map((b) => b.text).join(' ')).toContain('Qualified');
  });

  it('when the lead goes quiet, the stale job alerts the agent once', async () => {
    await app.db.updateTable('leads').set({ last_activity_at: sql`now() - interval '8 days'` }).where('id', '=', leadId).execute();
    await app.jobs.runNow('stale-leads');
    const alert = await eventually(
      () => fake.chat(AGENT_ID).find((m) => m.text.startsWith('⚠️') && m.text.includes(`#${leadId}`)), 'the stale alert');
    expect(alert.text).toContain(`Lead #${leadId} (Website) has had no activity for 8 days. AI score:`);
    expect(tg.dataOf(alert, 'Contacted')).toBeTruthy();
    expect(tg.dataOf(alert, 'Lost')).toBeTruthy();
    const nurture = await app.db.selectFrom('lead_history').select('action').where('lead_id', '=', leadId)
      .where('action', '=', 'NURTURE').execute();
    expect(nurture).toHaveLength(1);

    const sentBefore = fake.callsTo('sendMessage').length;
    await app.jobs.runNow('stale-leads');
    await app.deliverNow();
    expect(fake.callsTo('sendMessage').length).toBe(sentBefore);
  });
});
