import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessage } from '../../core/outbox/outbox.writer.js';
import { findUserByTelegramId } from '../../core/users/user.service.js';
import { buttonsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const ADMIN_A = 1001;
const ADMIN_B = 1002;

/**
 * Staff join by invitation (§1, issue 10). Requests made before invites
 * existed stay pending and are decided as before: this helper writes one the
 * way /start used to (a pending agent, and the request queued for the admins).
 */
async function earlierRequest(h: BotHarness, telegramId: number, name: string, username: string | null = null) {
  const user = await makeUser(h.db, { telegramId, status: 'pending', name });
  if (username) await h.db.updateTable('users').set({ username }).where('id', '=', user.id).execute();
  await queueMessage(h.db, { deciders: true }, { kind: 'access_request', userId: user.id });
  return user;
}

describe('bot access (§1): configured admins, requests from before invites', () => {
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
    expect(h.fake.sentTexts(ADMIN_A)[0]).toContain('/invite');
  });

  it('a stranger who sends /start is a customer, not a would-be staff member: no request reaches the admins', async () => {
    const before = h.fake.sentTexts(ADMIN_A).length;
    await h.tg.send(h.tg.user(2000, { firstName: 'Zed' }), '/start');
    await h.deliver();
    expect(await findUserByTelegramId(h.db, 2000)).toBeUndefined();
    expect(h.fake.chat(ADMIN_A).slice(before).some((m) => m.text.includes('Access request'))).toBe(false);
    const conversation = await h.db.selectFrom('conversations').selectAll().where('telegram_user_id', '=', 2000).executeTakeFirstOrThrow();
    expect(await h.db.selectFrom('leads').select('source').where('id', '=', conversation.lead_id).executeTakeFirstOrThrow())
      .toEqual({ source: 'MESSAGE' });
  });

  it('an earlier request still reaches every admin with ✅ Agent / ✅ Manager / ❌ Reject', async () => {
    await earlierRequest(h, 2001, 'Carol', 'carol');
    await h.deliver();
    for (const admin of [ADMIN_A, ADMIN_B]) {
      const request = h.fake.lastMessage(admin);
      expect(request.text).toContain('Carol @carol');
      expect(buttonsOf(request).map((b) => b.text)).toEqual(['✅ Agent', '✅ Manager', '❌ Reject']);
    }
  });

  it('shows a pending person nothing of the CRM: commands, buttons and text get "pending" only', async () => {
    const lead = await makeLead(h.db, { full_name: 'Secret Lead' });
    const carol = h.tg.user(2001);
    const before = h.fake.calls.length;
    await h.tg.send(carol, '/leads');
    await h.tg.send(carol, `/lead ${lead.id}`);
    await h.tg.send(carol, 'hello');
    const fakeCard = { chatId: 2001, messageId: 1, text: 'x' };
    await h.tg.tap(carol, fakeCard, `lo1:${lead.id}`);

    // The command menu is the bot's own business (a pending person's is taken away); what they read is this:
    const calls = h.fake.calls.slice(before).filter((c) => !c.method.endsWith('MyCommands'));
    expect(calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'answerCallbackQuery']);
    for (const c of calls) expect(JSON.stringify(c.payload)).not.toContain('Secret Lead');
    expect(calls[0]!.payload.text).toContain('sent to the admins');
    expect(calls[3]!.payload).toMatchObject({ show_alert: true });
    // Nor is a pending person taken for a customer.
    expect(await h.db.selectFrom('conversations').select('id').where('telegram_user_id', '=', 2001).execute()).toEqual([]);
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

  it('when an admin rejects, the person is told; later they write as a customer', async () => {
    await earlierRequest(h, 2002, 'Dan');
    await h.deliver();
    await h.tg.press(h.tg.user(ADMIN_B), h.fake.lastMessage(ADMIN_B), 'Reject');
    await h.deliver();

    expect(await findUserByTelegramId(h.db, 2002)).toMatchObject({ status: 'rejected' });
    expect(h.fake.sentTexts(2002).at(-1)).toBe('❌ Your access request was rejected.');
    const before = h.fake.calls.length;
    await h.tg.send(h.tg.user(2002), '/leads');
    expect(h.fake.calls.slice(before).filter((c) => c.method === 'sendMessage')).toEqual([]);
    expect(await h.db.selectFrom('conversations').select('id').where('telegram_user_id', '=', 2002).execute()).toHaveLength(1);
  });

  it('refuses an access decision from someone who is not an admin', async () => {
    const eve = await earlierRequest(h, 2003, 'Eve');
    // Carol is an active manager now; she forges an approval for Eve.
    await h.tg.tap(h.tg.user(2001), { chatId: 2001, messageId: 5, text: 'x' }, `ad1:manager:${eve.id}`);
    expect(await findUserByTelegramId(h.db, 2003)).toMatchObject({ status: 'pending' });
    expect(h.tg.lastAnswer()?.text).toContain('not allowed');
  });

  it('/lang switches the language', async () => {
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
    const fay = await earlierRequest(h, 2006, 'Fay');
    const admin = await findUserByTelegramId(h.db, ADMIN_A);
    await h.core.users.decideAccess(admin!, fay.id, { approve: false });
    const before = h.fake.sentTexts(ADMIN_B).length;
    await h.deliver();
    expect(h.fake.sentTexts(ADMIN_B)).toHaveLength(before);
    expect(h.fake.sentTexts(2006).at(-1)).toBe('❌ Your access request was rejected.');
  });

  it('escapes HTML in names it shows: <b>&</b> arrives as text, not markup', async () => {
    await earlierRequest(h, 2005, '<b>&</b>');
    await h.deliver();
    expect(h.fake.lastMessage(ADMIN_A).text).toContain('&lt;b&gt;&amp;&lt;/b&gt;');
  });

  it('migration: a request that is pending stays pending, with its request rows, across the new schema', async () => {
    const pending = await h.db.selectFrom('users').select(['telegram_id', 'status']).where('status', '=', 'pending')
      .orderBy('telegram_id').execute();
    expect(pending.map((u) => u.telegram_id)).toContain(2003);
    const requests = await h.db.selectFrom('notifications').select('kind')
      .where('kind', '=', 'access_request').where(sql<boolean>`payload->>'userId' is not null`).execute();
    expect(requests.length).toBeGreaterThan(0);
  });
});
