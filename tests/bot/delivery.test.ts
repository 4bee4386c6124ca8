import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotificationDelivery, type NotificationDelivery } from '../../bot/notifications/delivery.js';
import type { Lead, User } from '../../core/database.js';
import { createLead, recordRepeatInquiry } from '../../core/leads/lead.service.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { listNotes } from '../../core/leads/lead-note.service.js';
import { enqueueNotification } from '../../core/notifications/notification.repository.js';
import { createLogger } from '../../logger.js';
import { buttonsOf, failures } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('notification delivery (§4, §10)', () => {
  let h: BotHarness;
  let delivery: NotificationDelivery;
  let agent: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness();
    delivery = createNotificationDelivery({
      db: h.db, api: h.bot.api, logger: createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), pollMs: 60_000,
    });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia', language: 'en' });
  });
  afterAll(async () => {
    await delivery.stop();
    await h.close();
  });
  beforeEach(async () => {
    // Each test starts with an empty outbox and no agents with room, unless it makes one.
    await h.db.deleteFrom('notifications').execute();
    await h.db.updateTable('users').set({ is_available: false }).where('role', '=', 'agent').execute();
    agent = await makeUser(h.db, { name: 'Ann', language: 'uk' });
  });

  const notification = (id: number) =>
    h.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const allNotifications = () => h.db.selectFrom('notifications').selectAll().orderBy('id').execute();

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
      await enqueueNotification(h.db, { kind: 'stale_alert', recipientUserId: agent.id, leadId: lead.id, payload: { days: 9, score: 0.456 } });
      await delivery.runOnce();
    });

    it('reads exactly as §10 says, with [📞 Contacted] [❌ Lost]', async () => {
      const alert = h.fake.lastMessage(agent.telegram_id);
      expect(alert.text).toBe(`⚠️ Lead #${lead.id} (PARTNER) has had no activity for 9 days. AI score: 0.46`);
      expect(buttonsOf(alert).map((b) => b.text)).toEqual(['📞 Contacted', '❌ Lost', '📇 Open card']);
    });

    it('shows — when the lead has no score', async () => {
      const unscored = await makeLead(h.db, { assigned_to: agent.id, stage: 'QUALIFIED', source: 'WEB' });
      await enqueueNotification(h.db, { kind: 'stale_alert', recipientUserId: agent.id, leadId: unscored.id, payload: { days: 7, score: null } });
      await delivery.runOnce();
      expect(h.fake.lastMessage(agent.telegram_id).text)
        .toBe(`⚠️ Lead #${unscored.id} (WEB) has had no activity for 7 days. AI score: —`);
    });

    it('❌ Lost on the alert works like the card: reasons, then LOST', async () => {
      const alert = h.fake.lastMessage(agent.telegram_id);
      await h.tg.press(h.as(agent), alert, 'Lost');
      await h.tg.press(h.as(agent), h.fake.message(alert.chatId, alert.messageId), 'No response');
      expect(await getLead(h.db, lead.id)).toMatchObject({ stage: 'LOST', lost_reason: 'No response' });
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

  it('waits out a 429 on sendMessage and still delivers', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: agent.id, leadId: lead.id });
    h.fake.failNext('sendMessage', failures.tooManyRequests(1));
    const sendsBefore = h.fake.callsTo('sendMessage').length;

    const results = await delivery.runOnce();
    expect(results).toMatchObject([{ outcome: 'sent' }]);
    expect(h.fake.callsTo('sendMessage').length - sendsBefore).toBe(2);
    const [row] = await allNotifications();
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('marks a notification failed, without retrying, when the user blocked the bot (403)', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: agent.id, leadId: lead.id });
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

  it('puts a notification back with backoff after a network error', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: agent.id, leadId: lead.id });
    h.fake.failNext('sendMessage', 'network');

    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'retry' }]);
    const [row] = await allNotifications();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
    expect(await delivery.runOnce()).toEqual([]);

    await h.db.updateTable('notifications').set({ next_attempt_at: new Date(0) }).execute();
    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'sent' }]);
    expect(await notification(row!.id)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('never sends the same notification twice, even with two deliverers at once', async () => {
    const other = createNotificationDelivery({
      db: h.db, api: h.bot.api, logger: createLogger({ LOG_LEVEL: 'silent', NODE_ENV: 'test' }), pollMs: 60_000, batchSize: 3,
    });
    const leads: Lead[] = [];
    for (let i = 0; i < 8; i++) {
      const lead = await makeLead(h.db, { assigned_to: agent.id });
      await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: agent.id, leadId: lead.id });
      leads.push(lead);
    }
    const before = h.fake.sentTexts(agent.telegram_id).length;

    await Promise.all([delivery.runOnce(), other.runOnce(), delivery.runOnce(), other.runOnce(), other.runOnce()]);
    await Promise.all([delivery.runOnce(), other.runOnce()]);

    const sent = h.fake.sentTexts(agent.telegram_id).slice(before);
    expect(sent).toHaveLength(8);
    for (const lead of leads) expect(sent.filter((t) => t.includes(`Лід #${lead.id}</b>`))).toHaveLength(1);
    expect((await allNotifications()).every((n) => n.status === 'sent')).toBe(true);
  });

  it('does not show a lead to someone who can no longer see it', async () => {
    const otherAgent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: otherAgent.id, full_name: 'Moved Away' });
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: agent.id, leadId: lead.id });
    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'failed' }]);
    expect(h.fake.sentTexts(agent.telegram_id).join()).not.toContain('Moved Away');
  });

  it('delivers soon after wake() instead of waiting for the next poll', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    delivery.start();
    await new Promise((r) => setTimeout(r, 100));
    await enqueueNotification(h.db, { kind: 'lead_card', recipientUserId: agent.id, leadId: lead.id });
    delivery.wake();
    await expect.poll(async () => (await allNotifications())[0]?.status, { timeout: 3000 }).toBe('sent');
    await delivery.stop();
  });
});
