import { Api, GrammyError, InlineKeyboard } from 'grammy';
import { beforeEach, describe, expect, it } from 'vitest';
import { TEST_BOT_TOKEN } from '../bot-harness.js';
import { FakeTelegram, failures } from '../fake-telegram.js';

// The in-process fake every bot test runs against refuses what Telegram
// refuses, with Telegram's words, and keeps each refusal so a test can
// assert that none happened (the loopback server applies the same rules).

let fake: FakeTelegram;
let api: Api;

beforeEach(() => {
  fake = new FakeTelegram();
  api = new Api(TEST_BOT_TOKEN);
  api.config.use(fake.transformer);
});

async function refusal(call: Promise<unknown>): Promise<string> {
  const err = await call.then(() => null, (e: unknown) => e);
  if (!(err instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(err)}`);
  expect(err.error_code).toBe(400);
  return err.description;
}

describe('FakeTelegram refuses what Telegram refuses', () => {
  it('HTML that does not parse', async () => {
    const html = (text: string) => refusal(api.sendMessage(1, text, { parse_mode: 'HTML' }));
    expect(await html('Hi<br>there')).toBe('Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 2');
    expect(await html('<b>bold')).toContain('Can\'t find end tag corresponding to start tag "b"');
    expect(await html('<b><i>x</b></i>')).toContain('Unmatched end tag');
    expect(await html('price < 100')).toContain('Unsupported start tag ""');
    expect(await html('AT&T')).toContain('Unescaped "&"');
    await api.sendMessage(1, 'a &lt; b &amp; <a href="https://x.y/?a=1&amp;b=2">c</a>', { parse_mode: 'HTML' });
    expect(fake.refusals.map((r) => r.method)).toEqual(Array(5).fill('sendMessage'));
  });

  it('text over 4096 UTF-16 units after entity parsing (tags do not count, an emoji counts twice)', async () => {
    expect(await refusal(api.sendMessage(1, 'x'.repeat(4097)))).toBe('Bad Request: message is too long');
    await api.sendMessage(1, `<b>${'x'.repeat(4096)}</b>`, { parse_mode: 'HTML' });
    await api.sendMessage(1, '&amp;'.repeat(4096), { parse_mode: 'HTML' });
    await api.sendMessage(1, '😀'.repeat(2048));
    expect(await refusal(api.sendMessage(1, '😀'.repeat(2049)))).toBe('Bad Request: message is too long');
    expect(await refusal(api.sendMessage(1, '  \n '))).toBe('Bad Request: message text is empty');
  });

  it('callback data over 64 bytes of UTF-8', async () => {
    const send = (data: string) => api.sendMessage(1, 'card', { reply_markup: new InlineKeyboard().text('Go', data) });
    await send('я'.repeat(32));
    expect(await refusal(send('я'.repeat(33)))).toBe('Bad Request: BUTTON_DATA_INVALID');
  });

  it('an edit that changes nothing the reader would see, and an edit of a message that is not there', async () => {
    const kb = new InlineKeyboard().text('Go', 'go');
    const sent = await api.sendMessage(1, '<b>Lead</b> &amp; co', { parse_mode: 'HTML', reply_markup: kb });
    const same = (text: string) => api.editMessageText(1, sent.message_id, text, { parse_mode: 'HTML', reply_markup: kb });
    expect(await refusal(same('<b>Lead</b> &amp; co'))).toMatch(/^Bad Request: message is not modified: /);
    // Other markup, the same text and entities: still the same message to Telegram.
    expect(await refusal(same('<strong>Lead</strong> &#38; co'))).toMatch(/message is not modified/);
    expect(await refusal(api.editMessageReplyMarkup(1, sent.message_id, { reply_markup: kb }))).toMatch(/message is not modified/);
    await same('<i>Lead</i> &amp; co');
    await api.editMessageReplyMarkup(1, sent.message_id, { reply_markup: new InlineKeyboard().text('Stop', 'stop') });
    expect(await refusal(api.editMessageText(1, 999_999, 'x'))).toBe('Bad Request: message to edit not found');
    expect(fake.refusalsOf('editMessageText')).toHaveLength(3);
  });

  it('a callback answer over 200 characters, and a query answered twice', async () => {
    expect(await refusal(api.answerCallbackQuery('q1', { text: 'x'.repeat(201) }))).toBe('Bad Request: MESSAGE_TOO_LONG');
    await api.answerCallbackQuery('q1', { text: 'x'.repeat(200) });
    expect(await refusal(api.answerCallbackQuery('q1'))).toBe(
      'Bad Request: query is too old and response timeout expired or query ID is invalid');
    await api.answerCallbackQuery('q2');
    expect(fake.refusalsOf('answerCallbackQuery')).toHaveLength(2);
  });
});

describe('what is not a refusal', () => {
  it('failures the test plans are not kept as refusals; sent files come back as messages', async () => {
    fake.failNext('sendMessage', failures.badRequest('chat not found'));
    expect(await refusal(api.sendMessage(1, 'hi'))).toBe('Bad Request: chat not found');
    const doc = await api.sendDocument(1, 'BQACAgIAAxkBAAI1', { caption: '<b>Offer</b>', parse_mode: 'HTML' });
    expect(doc.message_id).toBeGreaterThan(0);
    expect(fake.refusals).toEqual([]);
  });
});
