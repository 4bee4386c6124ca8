import type { Update, User as TgUser } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { failures, labelsOf } from '../support/fake-telegram.js';
import { makeUser } from '../support/factories.js';
import { fileUpdate, photo } from '../support/telegram-files.js';
import type { User } from '../../core/index.js';

// Customers who write to the bot (§12), through the bot as Telegram would deliver them.

let h: BotHarness;
let agent: User;
const ADMIN = 6001;
beforeAll(async () => {
  h = await createBotHarness({ ADMIN_TELEGRAM_IDS: String(ADMIN) });
  await h.tg.send(h.tg.user(ADMIN, { firstName: 'Anna' }), '/start');
  agent = await makeUser(h.db, { role: 'agent', name: 'Oleh' });
});
afterAll(() => h.close());

/** Notices gather a burst for a few seconds; the test does not wait for them. */
async function deliverAll(): Promise<void> {
  await h.db.updateTable('notifications').set({ next_attempt_at: new Date() }).where('status', '=', 'pending').execute();
  await h.deliver();
}
const conversationOf = (telegramId: number) => h.db.selectFrom('conversations').selectAll()
  .where('telegram_user_id', '=', telegramId).executeTakeFirstOrThrow();
const contactUpdate = (from: TgUser, phone: string): Update => {
  const update = h.tg.messageUpdate(from, '');
  const { text: _t, entities: _e, ...message } = update.message!;
  return { ...update, message: { ...message, contact: { phone_number: phone, first_name: from.first_name, user_id: from.id } } as Update['message'] };
};

describe('a customer writes to the bot (§12)', () => {
  const customer = () => h.tg.user(7001, { firstName: 'Iryna', username: 'iryna_k' });

  it('the first message opens a MESSAGE lead; its card, with what they wrote, reaches the assignee', async () => {
    await h.tg.send(customer(), 'Hello! How much is the annual plan?');
    await deliverAll();
    const conversation = await conversationOf(7001);
    const lead = await h.db.selectFrom('leads').selectAll().where('id', '=', conversation.lead_id).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ source: 'MESSAGE', full_name: 'Iryna', message_count: 1, assigned_to: agent.id });
    const card = h.fake.chat(agent.telegram_id).find((m) => m.text.includes(`Lead #${lead.id}`))!;
    expect(card.text).toContain('New customer in Telegram');
    expect(card.text).toContain('How much is the annual plan?');
    expect(labelsOf(card)).toEqual(expect.arrayContaining(['💬 Reply', '🗂 Messages', '📱 Ask for phone']));
    // The customer is greeted by the bot, with a button to share their phone.
    const greeting = h.fake.lastMessage(7001);
    expect(greeting.text).toContain('Thank you for writing to us');
    expect(JSON.stringify(greeting.replyKeyboard)).toContain('request_contact');
  });

  it('later messages come as one compact notice with the card\'s buttons', async () => {
    await h.tg.send(customer(), 'Also: do you have a discount?');
    await h.tg.bot.handleUpdate(fileUpdate(h.tg, customer(), { photo: photo() }, 'our invoice'));
    await h.tg.send(customer(), 'Thanks');
    const before = h.fake.chat(agent.telegram_id).length;
    await deliverAll();
    const notices = h.fake.chat(agent.telegram_id).slice(before);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toContain('3 new messages');
    expect(notices[0]!.text).toContain('do you have a discount?');
    expect(notices[0]!.text).toContain('🖼 Photo our invoice');
    expect(labelsOf(notices[0]!)).toEqual(expect.arrayContaining(['📞 Contacted', '💬 Reply']));
  });

  it('the assignee answers with 💬 Reply; the customer gets it from the bot, and the conversation keeps it', async () => {
    const conversation = await conversationOf(7001);
    const card = h.fake.chat(agent.telegram_id).find((m) => m.text.includes(`Lead #${conversation.lead_id}`))!;
    await h.tg.press(h.as(agent), card, 'Reply');
    expect(h.lastText(agent)).toContain('Your reply to <b>Iryna (@iryna_k)</b>');
    await h.tg.send(h.as(agent), 'The annual plan is 1200 EUR; 10% off this month.');
    expect(h.lastText(agent)).toContain('Sent to the customer');
    await h.deliver();
    expect(h.fake.sentTexts(7001).at(-1)).toBe('The annual plan is 1200 EUR; 10% off this month.');
    const reply = await h.db.selectFrom('conversation_messages').selectAll()
      .where('conversation_id', '=', conversation.id).where('direction', '=', 'out').where('sender_user_id', '=', agent.id)
      .executeTakeFirstOrThrow();
    expect(reply).toMatchObject({ status: 'sent', kind: 'text' });
    expect(reply.telegram_message_id).toBeGreaterThan(0);
  });

  it('a photo as the answer goes by its Telegram file id; so does Telegram\'s own "reply" to a notice', async () => {
    const conversation = await conversationOf(7001);
    const notice = h.fake.chat(agent.telegram_id).find((m) => m.text.includes('new messages'))!;
    const update = fileUpdate(h.tg, h.as(agent), { photo: photo() }, 'the price list');
    const message = { ...update.message!, reply_to_message: { message_id: notice.messageId, from: { id: 7_000_000_001, is_bot: true, first_name: 'AEL CRM' }, chat: update.message!.chat, date: 0 } };
    await h.tg.bot.handleUpdate({ ...update, message } as Update);
    await h.deliver();
    const sent = h.fake.lastMessage(7001);
    expect(sent.media?.method).toBe('sendPhoto');
    expect(sent.media?.fileId).toMatch(/^AgACfull/);
    expect(sent.text).toBe('the price list');
    const stored = await h.db.selectFrom('conversation_messages').select(['kind', 'file_id', 'status'])
      .where('conversation_id', '=', conversation.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: 'photo', status: 'sent' });
  });

  it('a customer who blocked the bot: the reply is marked undelivered and its sender told', async () => {
    const conversation = await conversationOf(7001);
    await h.core.conversations.reply(agent, { leadId: conversation.lead_id, content: { kind: 'text', text: 'Are you there?' } });
    h.fake.failNext('sendMessage', failures.blocked());
    await h.deliver();
    await h.deliver();
    const failed = await h.db.selectFrom('conversation_messages').selectAll().where('text', '=', 'Are you there?').executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');
    expect((await conversationOf(7001)).blocked_at).not.toBeNull();
    expect(h.lastText(agent)).toContain('was not delivered: they have blocked the bot');
  });

  it('writing again unblocks; a redelivered update is stored once', async () => {
    const update = h.tg.messageUpdate(customer(), 'Sorry, I was away');
    await h.tg.bot.handleUpdate(update);
    await h.tg.bot.handleUpdate(update);
    const conversation = await conversationOf(7001);
    expect(conversation.blocked_at).toBeNull();
    const stored = await h.db.selectFrom('conversation_messages').select('id').where('text', '=', 'Sorry, I was away').execute();
    expect(stored).toHaveLength(1);
    const lead = await h.db.selectFrom('leads').select('message_count').where('id', '=', conversation.lead_id).executeTakeFirstOrThrow();
    expect(lead.message_count).toBe(5);
  });

  it('📱 asks for the phone; the shared contact fills the lead and the customer is thanked', async () => {
    const conversation = await conversationOf(7001);
    await h.tg.tap(h.as(agent), h.fake.lastMessage(agent.telegram_id), `cvp1:${conversation.lead_id}`);
    await h.deliver();
    expect(JSON.stringify(h.fake.lastMessage(7001).replyKeyboard)).toContain('request_contact');
    await h.tg.bot.handleUpdate(contactUpdate(customer(), '380501234567'));
    await deliverAll();
    const lead = await h.db.selectFrom('leads').select('phone').where('id', '=', conversation.lead_id).executeTakeFirstOrThrow();
    expect(lead.phone).toBe('+380501234567');
    expect(h.fake.sentTexts(7001).at(-1)).toBe('Thank you! We have your number.');
    expect(h.fake.lastMessage(7001).replyKeyboard).toEqual({ remove_keyboard: true });
  });

  it('/inbox shows the conversation with its last message; 🗂 opens it a page at a time', async () => {
    await h.tg.send(h.as(agent), '/inbox');
    const inbox = h.fake.lastMessage(agent.telegram_id);
    expect(inbox.text).toContain('Inbox');
    expect(inbox.text).toContain('Iryna (@iryna_k)');
    await h.tg.press(h.as(agent), inbox, 'Iryna');
    const page = h.fake.lastMessage(agent.telegram_id);
    expect(page.text).toContain('Conversation with Iryna');
    expect(page.text).toContain('⬅️');
    expect(page.text).toContain('➡️');
    expect(page.text).toContain('Oleh');
    expect(labelsOf(page)).toEqual(expect.arrayContaining(['◀ Older', '💬 Reply']));
    await h.tg.press(h.as(agent), page, 'Older');
    expect(h.fake.message(page.chatId, page.messageId).text).toContain('How much is the annual plan?');
  });

  it('someone who cannot see the lead gets nothing of the conversation', async () => {
    const other = await makeUser(h.db, { role: 'agent' });
    const conversation = await conversationOf(7001);
    await h.tg.tap(h.as(other), { chatId: other.telegram_id, messageId: 1, text: 'x' }, `cvm1:${conversation.lead_id}:0:0`);
    expect(h.tg.lastAnswer()?.text).toContain('not allowed');
    await expect(h.core.conversations.reply(other, { leadId: conversation.lead_id, content: { kind: 'text', text: 'x' } }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('campaign deep links and a customer who is a known lead (§12, §4)', () => {
  it('/start <code> attributes the new lead to the link\'s UTM values', async () => {
    const admin = (await h.db.selectFrom('users').selectAll().where('telegram_id', '=', ADMIN).executeTakeFirstOrThrow());
    await h.core.channel.createCampaign(admin, { code: 'spring_ads', name: 'Spring ads', utm: { source: 'instagram', medium: 'paid', campaign: 'spring' } });
    await h.tg.send(h.tg.user(7002, { firstName: 'Taras' }), '/start spring_ads');
    const conversation = await conversationOf(7002);
    const lead = await h.db.selectFrom('leads').selectAll().where('id', '=', conversation.lead_id).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ source: 'MESSAGE', utm_source: 'instagram', utm_medium: 'paid', utm_campaign: 'spring', message_count: 0 });
    expect(lead.form_reference).toContain('Spring ads');
    await h.tg.send(h.as(admin), '/campaigns');
    expect(h.fake.lastMessage(ADMIN).text).toContain('https://t.me/ael_crm_test_bot?start=spring_ads');
  });
});
