import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramWebhookRoute } from '../../http/routes/telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';

const SECRET = 'hook-secret_123';

describe('Telegram webhook route (§16)', () => {
  let h: BotHarness;
  let app: ReturnType<typeof createTelegramWebhookRoute>;
  beforeAll(async () => {
    h = await createBotHarness({ ADMIN_TELEGRAM_IDS: '4242' });
    app = createTelegramWebhookRoute(h.bot, SECRET);
  });
  afterAll(() => h.close());

  const post = (headers: Record<string, string>, text = '/start') =>
    app.request('/', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(h.tg.messageUpdate(h.tg.user(4242), text)),
    });

  it('refuses updates without the secret token header, or with a wrong one, with 401', async () => {
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401);
    expect(h.fake.calls).toHaveLength(0);
  });

  it('hands updates with the right secret token to the bot', async () => {
    const res = await post({ 'x-telegram-bot-api-secret-token': SECRET });
    expect(res.status).toBe(200);
    expect(h.fake.sentTexts(4242).at(-1)).toContain('Hello');
  });
});
