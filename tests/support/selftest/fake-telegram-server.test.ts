import { Api, GrammyError, HttpError, InlineKeyboard, InputFile } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BOT_TOKEN } from '../bot-harness.js';
import { FakeTelegramServer } from '../fake-telegram-server.js';
import { TEST_BOT_INFO, failures } from '../fake-telegram.js';

// The fake Bot API over HTTP, driven by grammY's own client, as the app in a
// child process would drive it: answers, Telegram's refusals, flood limits,
// outages, long polling and in-flight calls.

let server: FakeTelegramServer;
let api: Api;

beforeAll(async () => {
  server = await FakeTelegramServer.start({ token: TEST_BOT_TOKEN });
  api = new Api(TEST_BOT_TOKEN, { apiRoot: server.apiRoot });
});
afterAll(async () => {
  await server?.close();
});

/** The Bot API's description for a call that must fail with a GrammyError. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; description: string }> {
  const err = await call.then(() => null, (e: unknown) => e);
  if (!(err instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(err)}`);
  return { code: err.error_code, description: err.description };
}

describe('answers like Telegram', () => {
  it('getMe, sends, edits, and webhook calls', async () => {
    expect(await api.getMe()).toEqual(TEST_BOT_INFO);
    const sent = await api.sendMessage(501, '<b>Lead #1</b> &amp; more', {
      parse_mode: 'HTML', reply_markup: new InlineKeyboard().text('Open', 'lead:1'),
    });
    expect(sent.message_id).toBeGreaterThan(0);
    const edited = await api.editMessageText(501, sent.message_id, 'Lead #1 (edited)');
    expect(edited).toMatchObject({ message_id: sent.message_id });
    expect(server.message(501, sent.message_id).text).toBe('Lead #1 (edited)');
    expect(await api.setWebhook('https://crm.example.com/telegram/webhook')).toBe(true);
    expect(await api.deleteWebhook()).toBe(true);
    expect(server.sentTexts(501)).toEqual(['<b>Lead #1</b> &amp; more']);
    expect(server.callsTo('sendMessage')[0]!.reply_markup.inline_keyboard[0][0].callback_data).toBe('lead:1');
  });

  it('reads multipart uploads (their objects arrive as JSON strings)', async () => {
    const sent = await api.sendDocument(502, new InputFile(Buffer.from('%PDF-1.4'), 'offer.pdf'), {
      caption: 'Offer', reply_markup: new InlineKeyboard().text('Back', 'back'),
    });
    expect(sent.message_id).toBeGreaterThan(0);
    const payload = server.callsTo('sendDocument')[0]!;
    expect(payload).toMatchObject({ chat_id: '502', caption: 'Offer', reply_markup: { inline_keyboard: [[{ callback_data: 'back' }]] } });
    const attached = String(payload.document).replace('attach://', '');
    expect(payload[attached]).toEqual({ filename: 'offer.pdf', bytes: 8 });
  });

  it('refuses another token', async () => {
    const stranger = new Api('999:wrong-token-abcdefghijklmnopqrstuv', { apiRoot: server.apiRoot });
    expect(await refusal(stranger.getMe())).toEqual({ code: 401, description: 'Unauthorized' });
  });
});

describe('refuses what Telegram refuses', () => {
  const html = (text: string) => refusal(api.sendMessage(510, text, { parse_mode: 'HTML' }));

  it('HTML that does not parse: unknown and unclosed tags, a stray < or &', async () => {
    expect(await html('Hi<br>there')).toEqual({ code: 400, description: 'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 2' });
    expect((await html('<b>bold')).description).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    expect((await html('<b><i>x</b></i>')).description).toContain('Unmatched end tag at byte offset 7, expected "</i>", found "</b>"');
    expect((await html('price < 100')).description).toBe('Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 6');
    expect((await html('AT&T')).description).toContain('Unescaped "&" at byte offset 2');
    expect((await html('Олег <b')).description).toContain('Unclosed start tag at byte offset 9'); // offsets in UTF-8 bytes
    await expect(api.sendMessage(510, 'a &lt; b &amp; <a href="https://x.y/?a=1&amp;b=2">c</a>', { parse_mode: 'HTML' })).resolves.toBeTruthy();
    await expect(api.sendMessage(510, 'AT&T <br> is plain text without parse_mode')).resolves.toBeTruthy();
  });

  it('text over 4096 characters after entity parsing, and empty text', async () => {
    expect(await refusal(api.sendMessage(511, 'x'.repeat(4097)))).toEqual({ code: 400, description: 'Bad Request: message is too long' });
    await expect(api.sendMessage(511, `<b>${'x'.repeat(4096)}</b>`, { parse_mode: 'HTML' })).resolves.toBeTruthy();
    expect((await refusal(api.sendMessage(511, ''))).description).toBe('Bad Request: message text is empty');
  });

  it('callback data over 64 bytes', async () => {
    const send = (data: string) => api.sendMessage(512, 'card', { reply_markup: new InlineKeyboard().text('Go', data) });
    await expect(send('x'.repeat(64))).resolves.toBeTruthy();
    expect(await refusal(send('я'.repeat(33)))).toEqual({ code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
  });

  it('an edit that changes nothing', async () => {
    const sent = await api.sendMessage(513, 'same');
    expect((await refusal(api.editMessageText(513, sent.message_id, 'same'))).description)
      .toMatch(/^Bad Request: message is not modified: /);
  });
});

describe('faults the test switches on', () => {
  it('offline(): a network error (HttpError); online() again: answers', async () => {
    server.offline();
    await expect(api.getMe()).rejects.toBeInstanceOf(HttpError);
    server.online();
    await expect(api.getMe()).resolves.toEqual(TEST_BOT_INFO);
  });

  it('serverErrors(): 502 Bad Gateway', async () => {
    server.serverErrors();
    expect(await refusal(api.sendMessage(520, 'hi'))).toEqual({ code: 502, description: 'Bad Gateway' });
    server.online();
    expect(server.deliveredCount(520)).toBe(0);
  });

  it('failNext(): planned failures, then normal answers', async () => {
    server.failNext('sendMessage', failures.blocked());
    server.failNext('sendMessage', 'network');
    expect((await refusal(api.sendMessage(521, 'a'))).code).toBe(403);
    await expect(api.sendMessage(521, 'b')).rejects.toBeInstanceOf(HttpError);
    await api.sendMessage(521, 'c');
    expect(server.sentTexts(521)).toEqual(['c']);
    expect(server.calls.filter((c) => Number(c.payload.chat_id) === 521).map((c) => c.outcome)).toEqual(['error', 'dropped', 'ok']);
  });
});

describe('flood limits', () => {
  it('one message per second per chat: the second gets 429 with retry_after', async () => {
    const limited = await FakeTelegramServer.start({ floodLimits: {} });
    const client = new Api(TEST_BOT_TOKEN, { apiRoot: limited.apiRoot });
    try {
      await client.sendMessage(530, 'first');
      const err = await client.sendMessage(530, 'second').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrammyError);
      expect(err).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
      await client.sendMessage(531, 'another chat is fine');
      expect(limited.tooManyRequestsCount()).toBe(1);
      expect(limited.deliveredCount()).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('a global limit across chats', async () => {
    const limited = await FakeTelegramServer.start({ floodLimits: { perChatPerSecond: 10, globalPerSecond: 2 } });
    const client = new Api(TEST_BOT_TOKEN, { apiRoot: limited.apiRoot });
    try {
      await client.sendMessage(532, 'one');
      await client.sendMessage(533, 'two');
      expect((await refusal(client.sendMessage(534, 'three'))).code).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('long polling and in-flight calls', () => {
  const from = { id: 540, is_bot: false as const, first_name: 'A' };
  const textMessage = (message_id: number, text: string) =>
    ({ message_id, date: 0, chat: { id: from.id, type: 'private' as const, first_name: 'A' }, from, text });

  it('getUpdates returns queued updates at once, and [] after at most the capped timeout', async () => {
    const update = server.queueUpdate({ message: textMessage(1, 'hi') });
    expect(await api.getUpdates({ timeout: 30 })).toEqual([update]);
    const started = Date.now();
    expect(await api.getUpdates({ offset: update.update_id + 1, timeout: 30 })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('a queued update wakes a waiting long poll', async () => {
    const poll = api.getUpdates({ timeout: 30 });
    await server.waitFor(() => server.inFlight().some((c) => c.method === 'getUpdates'));
    const update = server.queueUpdate({ message: textMessage(2, 'wake') });
    expect(await poll).toEqual([update]);
  });

  it('shows calls in flight; a client that hangs up leaves its message delivered but in doubt', async () => {
    server.setLatency(300);
    try {
      const abort = new AbortController();
      const sending = api.sendMessage(542, 'in doubt', undefined, abort.signal as never /* grammY types it as abort-controller's */).catch((e: unknown) => e);
      await server.waitFor(() => server.inFlight().some((c) => c.payload.chat_id === 542));
      abort.abort();
      expect(await sending).toBeInstanceOf(HttpError);
      await server.waitFor((calls) => calls.some((c) => c.payload.chat_id === 542 && c.outcome === 'ok'));
      expect(server.calls.find((c) => c.payload.chat_id === 542)).toMatchObject({ outcome: 'ok', clientGone: true });
      expect(server.sentTexts(542)).toEqual(['in doubt']);
    } finally {
      server.setLatency(0);
    }
  });

  it('waitFor rejects with the last calls when the condition never holds', async () => {
    await expect(server.waitFor(() => false, 50)).rejects.toThrow(/not met within 50 ms \(last calls: /);
  });
});
