import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDelivery } from '../../bot/outbox/delivery.js';
import { createPacer } from '../../bot/outbox/pacer.js';
import type { Lead, OutboxMessage, User } from '../../core/index.js';
import { createLead, recordRepeatInquiry } from '../../core/leads/lead.service.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { listNotes } from '../../core/leads/lead-note.service.js';
import { queueMessage } from '../../core/outbox/outbox.writer.js';
import { buttonsOf, failures } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('outbox delivery (§4, §10)', () => {
  let h: BotHarness;
  let delivery: OutboxDelivery;
  let agent: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness();
    delivery = h.delivery();
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia', language: 'en' });
  });
  afterAll(async () => {
    await delivery.stop();
    await h.close();
  });
  beforeEach(async () => {
    // Each test starts with an empty outbox and no agents with room, unless it makes one.
    await h.db.deleteFrom('stale_alerts').execute();
    await h.db.deleteFrom('notifications').execute();
    await h.db.updateTable('users').set({ is_available: false }).where('role', '=', 'agent').execute();
    agent = await makeUser(h.db, { name: 'Ann', language: 'uk' });
  });

  const notification = (id: number) =>
    h.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const allNotifications = () => h.db.selectFrom('notifications').selectAll().orderBy('id').execute();
  const queue = (user: User, message: OutboxMessage) => queueMessage(h.db, { user: user.id }, message);
  const cardFor = (user: User, lead: Lead) => queue(user, { kind: 'lead_card', leadId: lead.id, reason: 'new', byUserId: null });

  it("sends a new lead's card to its assignee, in the assignee's language, and records the message id", async () => {
    const lead = await createLead(h.db, { source: 'WEB', fullName: 'Nina & Co <3', email: 'nina@example.com' });
    expect(lead.assigned_to).toBe(agent.id);

    const results = await delivery.runOnce();
    expect(results).toMatchObject([{ kind: 'lead_card', outcome: 'sent' }]);
    const card = h.fake.lastMessage(agent.telegram_id);
    expect(card.text).toContain('Новий лід для вас');
    expect(card.text).toContain(`Лід #${lead.id}`);
    expect(card.text).toContain('Nina &amp; Co &lt;3');
    expect(buttonsOf(card).map((b) => b.text)).toContain('📞 Зв’язались');
    const [row] = await allNotifications();
    expect(row).toMatchObject({ status: 'sent', telegram_message_id: card.messageId });
  });

  it('tells the managers when nobody has capacity for a new lead', async () => {
    await h.db.updateTable('users').set({ is_available: false }).where('id', '=', agent.id).execute();
    const lead = await createLead(h.db, { source: 'REFERRAL', phone: '+380671112233' });
    expect(lead.assigned_to).toBeNull();

    await delivery.runOnce();
    const text = h.fake.lastMessage(manager.telegram_id).text;
    expect(text).toContain('unassigned: no one has capacity');
    expect(text).toContain(`Lead #${lead.id}`);
  });

  it('tells the assignee that a lead sent the form again, with a button to its card', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await recordRepeatInquiry(h.db, lead.id, { summary: 'Second try & 1 < 2' });
    await delivery.runOnce();
    const message = h.fake.lastMessage(agent.telegram_id);
    expect(message.text).toContain(`Лід #${lead.id} повторно надіслав форму.`);
    expect(message.text).toContain('Second try &amp; 1 &lt; 2');
    await h.tg.press(h.as(agent), message, 'Відкрити картку');
    expect(h.fake.lastMessage(agent.telegram_id).text).toContain(`<b>Лід #${lead.id}</b>`);
  });

  describe('stale alerts', () => {
    let lead: Lead;
    beforeEach(async () => {
      await h.db.updateTable('users').set({ language: 'en' }).where('id', '=', agent.id).execute();
      lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED', source: 'PARTNER', ai_score: 0.456 });
      await queue(agent, { kind: 'stale_alert', leadId: lead.id, days: 9, score: 0.456 });
      await delivery.runOnce();
    });

    it('reads exactly as §10 says, with [📞 Contacted] [❌ Lost]', async () => {
      const alert = h.fake.lastMessage(agent.telegram_id);
      expect(alert.text).toBe(`⚠️ Lead #${lead.id} (Partner) has had no activity for 9 days. AI score: 0.46`);
      expect(buttonsOf(alert).map((b) => b.text)).toEqual(['📞 Contacted', '❌ Lost', '📇 Open card']);
    });

    it('shows — when the lead has no score', async () => {
      const unscored = await makeLead(h.db, { assigned_to: agent.id, stage: 'QUALIFIED', source: 'WEB' });
      await queue(agent, { kind: 'stale_alert', leadId: unscored.id, days: 7, score: null });
      await delivery.runOnce();
      expect(h.fake.lastMessage(agent.telegram_id).text)
        .toBe(`⚠️ Lead #${unscored.id} (Website) has had no activity for 7 days. AI score: —`);
    });

    it('❌ Lost on the alert works like the card: reasons, then LOST', async () => {
      const alert = h.fake.lastMessage(agent.telegram_id);
      await h.tg.press(h.as(agent), alert, 'Lost');
      await h.tg.press(h.as(agent), h.fake.message(alert.chatId, alert.messageId), 'No response');
      expect(await getLead(h.db, lead.id)).toMatchObject({ stage: 'LOST', lost_reason: null, lost_reason_code: 'no_response' });
    });

    it('📞 Contacted on the alert logs one contact after confirmation, even when double-tapped', async () => {
      const alert = h.fake.lastMessage(agent.telegram_id);
      const before = (await getLead(h.db, lead.id)).last_activity_at;
      await h.tg.press(h.as(agent), alert, 'Contacted');
      const confirm = h.fake.message(alert.chatId, alert.messageId);
      expect(confirm.text).toContain(`Log a contact with lead #${lead.id}?`);
      const data = h.tg.dataOf(confirm, 'Confirm');
      await Promise.all([h.tg.tap(h.as(agent), confirm, data), h.tg.tap(h.as(agent), confirm, data)]);

      expect((await listNotes(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(1);
      const after = await getLead(h.db, lead.id);
      expect(after.stage).toBe('CONTACTED');
      expect(after.last_activity_at.getTime()).toBeGreaterThan(before.getTime());
    });
  });

  it('holds back only the chat Telegram answered 429 for, for retry_after; other chats keep flowing', async () => {
    const other = await makeUser(h.db, { name: 'Olga', language: 'en' });
    const [mine, theirs] = [await makeLead(h.db, { assigned_to: agent.id }), await makeLead(h.db, { assigned_to: other.id })];
    await cardFor(agent, mine);
    await cardFor(other, theirs);
    h.fake.failNext('sendMessage', failures.tooManyRequests(30));

    const results = await delivery.runOnce();
    expect(results.map((r) => r.outcome).sort()).toEqual(['retry', 'sent']);
    const held = (await allNotifications()).find((n) => n.status === 'pending')!;
    expect(held.last_error).toContain('429');
    expect(held.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(25_000);
    const delivered = (await allNotifications()).find((n) => n.status === 'sent')!;
    expect(h.fake.message(delivered.chat_id, delivered.telegram_message_id!).text).toMatch(/(Lead|Лід) #\d+/);
    expect(await delivery.runOnce()).toEqual([]);
  });

  it('marks a message failed, without retrying, when the user blocked the bot (403)', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await cardFor(agent, lead);
    h.fake.failNext('sendMessage', failures.blocked());

    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'failed' }]);
    const [row] = await allNotifications();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.last_error).toContain('403');
    // Due again or not, a failed row is never picked up.
    await h.db.updateTable('notifications').set({ next_attempt_at: new Date(0) }).execute();
    const sends = h.fake.callsTo('sendMessage').length;
    expect(await delivery.runOnce()).toEqual([]);
    expect(h.fake.callsTo('sendMessage')).toHaveLength(sends);
  });

  it('keeps a message through a Telegram outage, however many tries, until it is delivered', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await cardFor(agent, lead);
    for (let i = 0; i < 12; i++) {
      h.fake.failNext('sendMessage', i % 2 ? 'network' : failures.serverError());
      expect(await delivery.runOnce()).toMatchObject([{ outcome: 'retry' }]);
      await h.db.updateTable('notifications').set({ next_attempt_at: new Date(0) }).execute();
    }
    expect(delivery.state().telegram).toBe('unreachable');
    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'sent' }]);
    expect(delivery.state().telegram).toBe('ok');
    expect((await allNotifications())[0]).toMatchObject({ status: 'sent', attempts: 13 });
  });

  it('gives up on a message queued longer ago than OUTBOX_MAX_AGE_HOURS, and shows it to admins', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const [id] = await cardFor(agent, lead);
    await h.db.updateTable('notifications').set({ queued_at: new Date(Date.now() - 25 * 3_600_000) }).execute();
    h.fake.failNext('sendMessage', 'network');

    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'failed' }]);
    expect(await notification(id!)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('network') });
    const admin = await makeUser(h.db, { role: 'admin', language: 'en' });
    expect((await h.core.outbox.listFailed(admin, { limit: 5, offset: 0 })).items.map((m) => m.id)).toContain(id);
  });

  it('sends a card Telegram refuses as HTML once more, as plain shortened text, instead of losing it', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, full_name: 'Plain & Simple' });
    await cardFor(agent, lead);
    h.fake.failNext('sendMessage', failures.badRequest("can't parse entities: Unsupported start tag \"x\" at byte offset 3"));

    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'sent' }]);
    const [first, second] = h.fake.callsTo('sendMessage').slice(-2);
    expect(first!.parse_mode).toBe('HTML');
    expect(second!.parse_mode).toBeUndefined();
    expect(second!.text).toContain('Plain & Simple');
    expect(second!.text).not.toMatch(/<\/?b>/);
    expect(buttonsOf({ chatId: 0, messageId: 0, text: '', markup: second!.reply_markup }).length).toBeGreaterThan(0);
  });

  it('never sends the same message twice, even with two deliverers at once', async () => {
    const other = h.delivery({ concurrency: 3 });
    const leads: Lead[] = [];
    const people: User[] = [];
    for (let i = 0; i < 8; i++) {
      const person = await makeUser(h.db, { language: 'uk' });
      const lead = await makeLead(h.db, { assigned_to: person.id });
      await cardFor(person, lead);
      leads.push(lead);
      people.push(person);
    }

    await Promise.all([delivery.runOnce(), other.runOnce(), delivery.runOnce(), other.runOnce(), other.runOnce()]);
    // A claim locks a few more candidates than it takes, so a concurrent one may come back
    // empty-handed (it skips locked rows): more rounds, still two at once, until nothing is due.
    for (let round = 0; round < 10 && (await allNotifications()).some((n) => n.status !== 'sent'); round++) {
      await Promise.all([delivery.runOnce(), other.runOnce()]);
    }

    for (const [i, lead] of leads.entries()) {
      expect(h.fake.sentTexts(people[i]!.telegram_id).filter((t) => t.includes(`Лід #${lead.id}</b>`))).toHaveLength(1);
    }
    expect((await allNotifications()).every((n) => n.status === 'sent')).toBe(true);
  });

  it('does not show a lead to someone who can no longer see it', async () => {
    const otherAgent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: otherAgent.id, full_name: 'Moved Away' });
    await cardFor(agent, lead);
    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'failed' }]);
    expect(h.fake.sentTexts(agent.telegram_id).join()).not.toContain('Moved Away');
  });

  it('a commit that queues a message wakes delivery at once (NOTIFY), with no poll', async () => {
    const live = h.delivery({ pollMs: 600_000 });
    const unlisten = await h.core.outbox.onQueued(() => live.wake());
    live.start();
    try {
      const lead = await makeLead(h.db, { assigned_to: agent.id });
      await cardFor(agent, lead);
      await expect.poll(async () => (await allNotifications())[0]?.status, { timeout: 5000 }).toBe('sent');
    } finally {
      await unlisten();
      await live.stop();
    }
  });

  it('goes straight on to the next batch when a batch was full', async () => {
    const live = h.delivery({ pollMs: 600_000, concurrency: 2 });
    for (let i = 0; i < 7; i++) {
      const person = await makeUser(h.db);
      await cardFor(person, await makeLead(h.db, { assigned_to: person.id }));
    }
    live.start();
    try {
      await expect.poll(async () => (await allNotifications()).filter((n) => n.status === 'sent').length, { timeout: 5000 }).toBe(7);
    } finally {
      await live.stop();
    }
  });

  it('on stop, hands back a claimed message whose send had not started, and sends nothing of it', async () => {
    // One message a minute per chat: the second message to the same chat waits for its slot.
    const slow = h.delivery({ pollMs: 600_000, pacer: createPacer({ perChatIntervalMs: 60_000 }) });
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await cardFor(agent, lead);
    slow.start();
    await expect.poll(async () => (await allNotifications())[0]?.status, { timeout: 5000 }).toBe('sent');
    const [second] = await cardFor(agent, lead);
    slow.wake();
    await expect.poll(async () => (await notification(second!)).status, { timeout: 5000 }).toBe('sending');
    const sends = h.fake.callsTo('sendMessage').length;
    await slow.stop();
    expect(await notification(second!)).toMatchObject({ status: 'pending', lease_token: null });
    expect(h.fake.callsTo('sendMessage')).toHaveLength(sends);
  });
});
