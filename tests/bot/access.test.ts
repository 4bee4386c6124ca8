import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByTelegramId } from '../../core/users/user.service.js';
import { buttonsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead } from '../support/factories.js';

const ADMIN_A = 1001;
const ADMIN_B = 1002;

describe('bot access (§1)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness({ ADMIN_TELEGRAM_IDS: `${ADMIN_A},${ADMIN_B}` });
    await h.tg.send(h.tg.user(ADMIN_A, { firstName: 'Alice' }), '/start');
    await h.tg.send(h.tg.user(ADMIN_B, { firstName: 'Bob' }), '/start');
  });
  afterAll(() => h.close());

  it('makes configured admins active admins on /start and greets them', async () => {
    const admin = await findUserByTelegramId(h.db, ADMIN_A);
    expect(admin).toMatchObject({ role: 'admin', status: 'active' });
    expect(h.fake.sentTexts(ADMIN_A)[0]).toContain('/sources');
  });

  it('when a stranger sends /start, they wait for approval and every admin gets ✅ Agent / ✅ Manager / ❌ Reject', async () => {
    await h.tg.send(h.tg.user(2001, { firstName: 'Carol', username: 'carol' }), '/start');
    await h.deliver();

    expect(await findUserByTelegramId(h.db, 2001)).toMatchObject({ status: 'pending', role: 'agent' });
    expect(h.fake.sentTexts(2001).at(-1)).toContain('sent to the admins');
    for (const admin of [ADMIN_A, ADMIN_B]) {
      const request = h.fake.lastMessage(admin);
      expect(request.text).toContain('Carol @carol');
      expect(buttonsOf(request).map((b) => b.text)).toEqual(['✅ Agent', '✅ Manager', '❌ Reject']);
    }
  });

  it('does not ask the admins again when a pending person repeats /start', async () => {
    const before = h.fake.sentTexts(ADMIN_A).length;
    await h.tg.send(h.tg.user(2001, { firstName: 'Carol' }), '/start');
    await h.deliver();
    expect(h.fake.sentTexts(ADMIN_A)).toHaveLength(before);
  });

  it('shows a pending person nothing of the CRM: commands, buttons and text get "no access" only', async () => {
    const lead = await makeLead(h.db, { full_name: 'Secret Lead' });
    const carol = h.tg.user(2001);
    const before = h.fake.calls.length;
    await h.tg.send(carol, '/leads');
    await h.tg.send(carol, `/lead ${lead.id}`);
    await h.tg.send(carol, 'hello');
    const fakeCard = { chatId: 2001, messageId: 1, text: 'x' };
    await h.tg.tap(carol, fakeCard, `lo1:${lead.id}`);

    const calls = h.fake.calls.slice(before);
    expect(calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'answerCallbackQuery']);
    for (const c of calls) expect(JSON.stringify(c.payload)).not.toContain('Secret Lead');
    expect(calls[0]!.payload.text).toContain('sent to the admins');
    expect(calls[3]!.payload).toMatchObject({ show_alert: true });
  });

  it('when an admin approves as manager, the person is an active manager, is told, and the other admin sees it decided', async () => {
    const requestA = h.fake.lastMessage(ADMIN_A);
    const requestB = h.fake.lastMessage(ADMIN_B);
    await h.tg.press(h.tg.user(ADMIN_A), requestA, 'Manager');
    await h.deliver();

    expect(await findUserByTelegramId(h.db, 2001)).toMatchObject({ status: 'active', role: 'manager' });
    expect(h.fake.message(ADMIN_A, requestA.messageId).text).toContain('approved as <b>manager</b>');
    expect(h.fake.sentTexts(2001).at(-1)).toContain('Your access was approved (role: <b>manager</b>)');

    await h.tg.press(h.tg.user(ADMIN_B), requestB, 'Reject');
    expect(await findUserByTelegramId(h.db, 2001)).toMatchObject({ status: 'active', role: 'manager' });
    expect(h.fake.message(ADMIN_B, requestB.messageId).text).toContain('already been decided');
  });

  it('when an admin rejects, the person is told and keeps seeing no CRM', async () => {
    await h.tg.send(h.tg.user(2002, { firstName: 'Dan' }), '/start');
    await h.deliver();
    await h.tg.press(h.tg.user(ADMIN_B), h.fake.lastMessage(ADMIN_B), 'Reject');
    await h.deliver();

    expect(await findUserByTelegramId(h.db, 2002)).toMatchObject({ status: 'rejected' });
    expect(h.fake.sentTexts(2002).at(-1)).toBe('❌ Your access request was rejected.');
    await h.tg.send(h.tg.user(2002), '/leads');
    expect(h.fake.sentTexts(2002).at(-1)).toContain('rejected');
  });

  it('refuses an access decision from someone who is not an admin', async () => {
    await h.tg.send(h.tg.user(2003, { firstName: 'Eve' }), '/start');
    const eve = await findUserByTelegramId(h.db, 2003);
    // Carol is an active manager now; she forges an approval for Eve.
    await h.tg.tap(h.tg.user(2001), { chatId: 2001, messageId: 5, text: 'x' }, `ad1:manager:${eve!.id}`);
    expect(await findUserByTelegramId(h.db, 2003)).toMatchObject({ status: 'pending' });
    expect(h.tg.lastAnswer()?.text).toContain('not allowed');
  });

  it('starts a Ukrainian-speaking person in Ukrainian, and /lang switches the language', async () => {
    await h.tg.send(h.tg.user(2004, { firstName: 'Olena', languageCode: 'uk' }), '/start');
    expect(h.fake.sentTexts(2004).at(-1)).toContain('надіслано адміністраторам');

    const admin = h.tg.user(ADMIN_A);
    await h.tg.send(admin, '/lang');
    await h.tg.press(admin, h.fake.lastMessage(ADMIN_A), 'Українська');
    expect(h.fake.lastMessage(ADMIN_A).text).toBe('✅ Мова: українська.');
    expect(await findUserByTelegramId(h.db, ADMIN_A)).toMatchObject({ language: 'uk' });
    await h.tg.send(admin, '/leads');
    expect(h.fake.sentTexts(ADMIN_A).at(-1)).toContain('Відкриті ліди');

    await h.tg.send(admin, '/lang');
    await h.tg.press(admin, h.fake.lastMessage(ADMIN_A), 'English');
    await h.tg.send(admin, '/leads');
    expect(h.fake.sentTexts(ADMIN_A).at(-1)).toContain('Open leads');
  });

  it('does not deliver a request that another admin decided before it went out', async () => {
    await h.deliver();
    await h.tg.send(h.tg.user(2006, { firstName: 'Fay' }), '/start');
    const fay = await findUserByTelegramId(h.db, 2006);
    const admin = await findUserByTelegramId(h.db, ADMIN_A);
    await h.core.users.decideAccess(admin!, fay!.id, { approve: false });
    const before = h.fake.sentTexts(ADMIN_B).length;
    await h.deliver();
    expect(h.fake.sentTexts(ADMIN_B)).toHaveLength(before);
    expect(h.fake.sentTexts(2006).at(-1)).toBe('❌ Your access request was rejected.');
  });

  it('escapes HTML in names it shows: <b>&</b> arrives as text, not markup', async () => {
    await h.tg.send(h.tg.user(2005, { firstName: '<b>&</b>' }), '/start');
    await h.deliver();
    expect(h.fake.lastMessage(ADMIN_A).text).toContain('&lt;b&gt;&amp;&lt;/b&gt;');
  });
});
