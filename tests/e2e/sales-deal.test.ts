import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfig } from '../../config.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { createRedisStore } from '../../core/store/redis-store.js';
import { startApp, TELEGRAM_WEBHOOK_PATH, type RunningApp } from '../../main.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { startFakeOpenAi, type FakeOpenAiServer } from '../support/fake-openai-server.js';
import { FakeTelegram, TEST_BOT_INFO, TelegramHarness, labelsOf, type ChatMessage } from '../support/fake-telegram.js';
import { tildaSubmission } from '../support/form-submissions.js';
import { pollUntil } from '../support/poll.js';
import { createTestDatabase } from '../support/test-db.js';

// Issue 8 end to end, over real HTTP on loopback in webhook mode with the model on loopback too:
// a form lead is scored by the AI worker, worked to QUALIFIED with buttons, given a domain with
// ✏️ Edit, transferred with 💼 and taken NEW → KYC → AGREEMENT (amount typed) → PAID. Then the same
// with the model gone: the rules score it (marked on the card), and the §8 gate follows their score.

const ADMIN_ID = 4801;
const AGENT_ID = 4802;
const WEBHOOK_SECRET = 'e2e-sales-secret';

let app: RunningApp;
let drop: () => Promise<void>;
let model: FakeOpenAiServer;
let source: Awaited<ReturnType<typeof createFormSource>>;
const fake = new FakeTelegram();
const redisPrefix = `e2e:${randomBytes(4).toString('hex')}:`;
let tg: TelegramHarness<any>;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  model = await startFakeOpenAi();
  const config = createConfig({
    NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    HOST: '127.0.0.1', PORT: '0', PUBLIC_URL: 'https://crm.example.com',
    DATABASE_URL: database.databaseUrl ?? '', DATA_DIR: database.dataDir ?? '',
    REDIS_URL: process.env.REDIS_URL ?? '', REDIS_KEY_PREFIX: redisPrefix,
    BOT_TOKEN: TEST_BOT_TOKEN, BOT_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ADMIN_TELEGRAM_IDS: String(ADMIN_ID),
    OPENAI_API_KEY: 'sk-e2e', OPENAI_BASE_URL: model.baseUrl, AI_TIMEOUT_MS: '5000', DEFAULT_CURRENCY: 'UAH',
    JOBS_ENABLED: 'false', OUTBOX_POLL_MS: '600000',
  });
  app = await startApp({ config, botInfo: TEST_BOT_INFO, apiTransformers: [fake.transformer] });
  tg = new TelegramHarness(app.bot!, fake);
  source = await createFormSource(app.db, { name: 'Landing', provider: 'tilda' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await model?.close().catch(() => undefined); // closed already by the second path
  await drop?.();
  if (process.env.REDIS_URL) {
    const redis = createRedisStore({ url: process.env.REDIS_URL });
    await redis.ping();
    const keys = await redis.client.keys(`${redisPrefix}*`);
    if (keys.length) await redis.client.del(...keys);
    await redis.close();
  }
});

const person = (id: number, name: string) => ({ id, is_bot: false as const, first_name: name, language_code: 'en' });
const admin = person(ADMIN_ID, 'Anna');
const agent = person(AGENT_ID, 'Oleh');
/** Intl puts no-break spaces in amounts; compared here as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

/** Telegram delivering an update to our webhook, over HTTP; the bot has handled it when this resolves. */
async function deliver(update: unknown): Promise<void> {
  const res = await fetch(`${app.url}${TELEGRAM_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
}
const say = (from: typeof agent, text: string) => deliver(tg.messageUpdate(from, text));
/** Taps the button labelled `label` on the message as the chat shows it now; returns the message after. */
async function press(from: typeof agent, message: ChatMessage, label: string): Promise<ChatMessage> {
  const now = fake.message(message.chatId, message.messageId);
  await deliver(tg.callbackUpdate(from, now, tg.dataOf(now, label)));
  return fake.message(message.chatId, message.messageId);
}
const lastAnswer = () => fake.callsTo('answerCallbackQuery').at(-1)?.text as string | undefined;
const eventually = <T>(probe: () => Promise<T | undefined> | T | undefined, what: string) =>
  pollUntil(probe, { what, timeoutMs: 15_000, intervalMs: 20 });
const leadRow = (id: number) => app.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A Tilda form posts a lead; the webhook answers 202 and the intake worker makes the lead. */
async function formLead(seq: number, name: string, phone: string): Promise<number> {
  const sub = tildaSubmission({ name, phone, email: `lead${seq}@example.com`, message: 'We need a CRM for our sales team', seq }, source.secret);
  const res = await fetch(`${app.url}${source.webhookPath}${sub.query}`, { method: 'POST', headers: sub.headers, body: sub.body });
  expect(res.status).toBe(202);
  const { submission_id } = (await res.json()) as { submission_id: number };
  const leadId = await eventually(async () => (await app.db.selectFrom('intake_submissions').select('lead_id')
    .where('id', '=', submission_id).where('status', '=', 'done').executeTakeFirst())?.lead_id ?? undefined, 'the lead from the journal');
  // The new lead's card reaches the agent through the outbox; waited for, so later messages come after it.
  const card = await eventually(() => fake.chat(AGENT_ID).find((m) => m.text.includes(`#${leadId}`)), 'the new lead card');
  expect(card.text).toContain(name);
  return leadId;
}

/** The AI worker has saved the lead's `n`th score and its queue holds nothing more for the lead. */
async function scored(leadId: number, n: number): Promise<void> {
  await eventually(async () => {
    const scores = await app.db.selectFrom('lead_scores').select('id').where('lead_id', '=', leadId).execute();
    const waiting = await app.db.selectFrom('ai_analysis_requests').select('id').where('lead_id', '=', leadId).execute();
    return scores.length === n && waiting.length === 0 ? true : undefined;
  }, `score #${n} of lead ${leadId}`);
}

/** /lead <id>: the card as a new message in the agent's chat. */
async function openCard(leadId: number): Promise<ChatMessage> {
  await say(agent, `/lead ${leadId}`);
  const card = fake.lastMessage(AGENT_ID);
  expect(card.text).toContain(`#${leadId}`);
  return card;
}

/** NEW → CONTACTED → QUALIFIED with the card's buttons, each confirmed. */
async function qualify(card: ChatMessage): Promise<void> {
  await press(agent, await press(agent, card, 'Contacted'), 'Confirm');
  const qualified = await press(agent, await press(agent, card, 'Qualified'), 'Confirm');
  expect(qualified.text).toContain('Stage: <b>QUALIFIED</b>');
}

/** ✏️ Edit → Domain → typed value: the fresh card replaces the one the edit started on. */
async function setDomain(card: ChatMessage, leadId: number, domain: string): Promise<ChatMessage> {
  await press(agent, await press(agent, card, 'Edit'), 'Domain');
  await say(agent, domain);
  const fresh = fake.lastMessage(AGENT_ID);
  expect(fresh.text).toContain(`✏️ Lead #${leadId}: Domain saved.`);
  expect(fresh.text).toContain(`Domain: ${domain}`);
  expect((await leadRow(leadId)).business_domain).toBe(domain);
  return fresh;
}

/** 💼 → Confirm on a card whose gates pass; returns the deal card the owner (the agent) receives. */
async function transfer(card: ChatMessage, leadId: number): Promise<{ dealId: number; dealCard: ChatMessage }> {
  const asking = await press(agent, card, 'Transfer to sales');
  expect(asking.text).toContain(`Transfer lead #${leadId} to sales? The deal's owner: <b>Oleh</b>.`);
  const done = await press(agent, asking, 'Confirm');
  const deal = await app.db.selectFrom('deals').selectAll().where('lead_id', '=', leadId).executeTakeFirstOrThrow();
  expect(lastAnswer()).toBe(`💼 Lead #${leadId} transferred to sales: deal #${deal.id}.`);
  expect(done.text).toContain('Stage: <b>TRANSFERRED</b>');
  expect((await leadRow(leadId)).stage).toBe('TRANSFERRED');
  const dealCard = await eventually(() => fake.chat(AGENT_ID).find((m) => m.text.includes('A new deal is yours')
    && m.text.includes(`<b>Deal #${deal.id}</b>`)), 'the deal card');
  expect(dealCard.text).toContain('Stage: <b>NEW</b>');
  return { dealId: deal.id, dealCard };
}

/** ➡️ KYC, ➡️ Agreement with the amount typed in chat, ✅ Paid: the card shows it paid, the row is closed. */
async function dealToPaid(dealId: number, dealCard: ChatMessage): Promise<ChatMessage> {
  const kyc = await press(agent, await press(agent, dealCard, 'KYC'), 'Confirm');
  expect(kyc.text).toContain('Stage: <b>KYC</b>');
  const asked = await press(agent, kyc, 'Agreement');
  expect(asked.text).toContain(`💰 Type the amount of deal #${dealId}`);
  await say(agent, '12 500,50 грн');
  const agreed = fake.lastMessage(AGENT_ID);
  expect(agreed.text).toContain(`✅ Deal #${dealId} moved to <b>AGREEMENT</b>.`);
  expect(plain(agreed.text)).toContain('Amount: UAH 12,500.50');
  const asking = await press(agent, agreed, 'Paid');
  expect(plain(asking.text)).toContain(`❓ Deal #${dealId} is paid: <b>UAH 12,500.50</b>? This closes the deal.`);
  const paid = await press(agent, asking, 'Confirm');
  expect(paid.text).toContain('Stage: <b>PAID</b>');
  expect(paid.text).toContain('Paid: ');
  expect(paid.text).toContain('0 days from opening');
  expect(labelsOf(paid)).not.toContain('✅ Paid');
  const row = await app.db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ stage: 'PAID', amount_minor: 1_250_050, currency: 'UAH', duration_days: 0 });
  expect(row.closed_at).toBeInstanceOf(Date);
  return paid;
}

describe('from a form lead to a paid deal, end to end (issue 8)', () => {
  it('the admin invites an agent, who joins', async () => {
    await say(admin, '/start');
    await say(admin, '/invite');
    await press(admin, fake.lastMessage(ADMIN_ID), 'agent');
    await press(admin, fake.lastMessage(ADMIN_ID), '7 days');
    const payload = /start=(inv_[\w-]+)/.exec(fake.lastMessage(ADMIN_ID).text)![1]!;
    await say(agent, `/start ${payload}`);
    expect(fake.sentTexts(AGENT_ID).at(-1)).toContain('Welcome to the team');
  });

  it('with the model: scored on arrival and again at QUALIFIED, transferred and paid', async () => {
    model.script(
      { kind: 'ok', score: 0.82, recommendation: 'transfer_to_sales', reason: 'A web lead asking for a CRM for a sales team.' },
      { kind: 'ok', score: 0.88, recommendation: 'transfer_to_sales', reason: 'Qualified and ready for a commercial offer.' },
    );
    const leadId = await formLead(1, 'Olena Koval', '+380501112233');
    await scored(leadId, 1);
    expect(model.requests).toHaveLength(1);
    expect(await leadRow(leadId)).toMatchObject({ ai_score: 0.82, quality_tier: 'HOT', ai_recommendation: 'transfer_to_sales' });
    const card = await openCard(leadId);
    expect(card.text).toContain('AI score: <b>0.82</b> 🔥 HOT');
    expect(card.text).toContain('Recommendation: transfer to sales');
    expect(card.text).toContain('Why: <i>A web lead asking for a CRM for a sales team.</i>');
    expect(card.text).not.toContain('rule-based');

    await qualify(card);
    await scored(leadId, 2);
    const requalified = await openCard(leadId);
    expect(requalified.text).toContain('AI score: <b>0.88</b> 🔥 HOT · ↗️ rising');

    const withDomain = await setDomain(requalified, leadId, 'Logistics');
    const { dealId, dealCard } = await transfer(withDomain, leadId);
    expect(dealCard.text).toContain('Domain: Logistics');
    expect(dealCard.text).toContain('AI score: 0.88 (🔥 HOT)');
    await dealToPaid(dealId, dealCard);

    await app.core.ai.flushAudit();
    const audit = await app.db.selectFrom('ai_analyses').select(['is_fallback', 'score']).where('lead_id', '=', leadId).orderBy('id').execute();
    expect(audit).toEqual([{ is_fallback: false, score: 0.82 }, { is_fallback: false, score: 0.88 }]);
  });

  it('with the model unreachable: the rules score it, marked; the gate refuses 0.45 until the domain counts', async () => {
    await model.close();
    const leadId = await formLead(2, 'Petro Shevchenko', '+380502223344');
    await scored(leadId, 1);
    // §7 rules for a fresh web lead with no messages, no domain, stage NEW: WEB 0.25 → DEAD, "lost".
    const card = await openCard(leadId);
    expect(card.text).toContain('AI score: <b>0.25</b> ⚫ DEAD');
    expect(card.text).toContain('Recommendation: likely lost');
    expect(card.text).toContain('Why: <i>[AI OFFLINE - RULE BASED] source WEB +0.25 = 0.25</i>');
    expect(card.text).toContain('⚙️ <b>rule-based</b> — the AI model was not used for this score');

    // Re-scored at QUALIFIED, before the domain is set: 0.25 + 0.20 = 0.45 (COLD).
    await qualify(card);
    await scored(leadId, 2);
    const withDomain = await setDomain(await openCard(leadId), leadId, 'Retail');
    expect(withDomain.text).toContain('AI score: <b>0.45</b> ❄️ COLD');
    expect(withDomain.text).toContain('⚙️ <b>rule-based</b>');

    // §8: ai_score 0.45 < 0.6, so 💼 is refused, naming the score, with 🤖 Analyze again as the fix.
    const refused = await press(agent, withDomain, 'Transfer to sales');
    expect(lastAnswer()).toBe(`⛔ Lead #${leadId} cannot be transferred to sales yet:`);
    expect(refused.text).toContain('• Score 0.45 is below 0.6.');
    expect(refused.text).not.toContain('Set the business domain');
    expect(labelsOf(refused)).toEqual(['🤖 Analyze again', '↩️ Back']);
    expect(await app.db.selectFrom('deals').select('id').where('lead_id', '=', leadId).execute()).toEqual([]);
    expect((await leadRow(leadId)).stage).toBe('QUALIFIED');

    // Analysed again, the domain now counts: 0.25 + 0.25 + 0.20 = 0.70 (WARM), and the gate passes.
    const rescored = await press(agent, refused, 'Analyze again');
    expect(rescored.text).toContain(`⚙️ Lead #${leadId} scored <b>0.70</b> ☀️ WARM by the rules (AI not used).`);
    expect(rescored.text).toContain('AI score: <b>0.70</b> ☀️ WARM · ↗️ rising');
    expect(rescored.text).toContain('⚙️ <b>rule-based</b>');
    const { dealId, dealCard } = await transfer(rescored, leadId);
    expect(dealCard.text).toContain('AI score: 0.70 (☀️ WARM)');
    await dealToPaid(dealId, dealCard);

    await app.core.ai.flushAudit();
    const audit = await app.db.selectFrom('ai_analyses').selectAll().where('lead_id', '=', leadId).orderBy('id').execute();
    expect(audit.map((a) => [a.is_fallback, a.fallback_reason, a.score]))
      .toEqual([[true, 'network', 0.25], [true, 'network', 0.45], [true, 'network', 0.7]]);
    const scores = await app.db.selectFrom('lead_scores').select('analyzed_by').where('lead_id', '=', leadId).execute();
    expect(scores.map((s) => s.analyzed_by)).toEqual(['fallback', 'fallback', 'fallback']);
  });

  it('Telegram refused nothing the bot sent along the way', () => {
    expect(fake.refusals).toEqual([]);
  });
});
