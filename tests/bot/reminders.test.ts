import { Api } from 'grammy';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxDelivery } from '../../bot/outbox/delivery.js';
import type { Lead, User } from '../../core/index.js';
import { failures, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, TEST_BOT_TOKEN, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const MIN = 60_000;

describe('reminders (§10) in the chat, delivered through the outbox', () => {
  let h: BotHarness;
  let delivery: OutboxDelivery;
  let agent: User;
  let manager: User;
  let lead: Lead;
  // Core's clock: moved on instead of waiting (delivery takes what is due by it).
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const later = (ms: number) => { offset += ms; };

  beforeAll(async () => {
    h = await createBotHarness({ TEAM_TIMEZONE: 'Europe/Kyiv' }, { now: clock });
    delivery = h.delivery();
  });
  afterAll(async () => {
    await delivery.stop();
    await h.close();
  });
  beforeEach(async () => {
    await sql`truncate reminders, notifications, lead_history, lead_notes, leads, users cascade`.execute(h.db);
    agent = await makeUser(h.db, { name: 'Ann', language: 'en' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia', language: 'uk' });
    lead = await makeLead(h.db, { assigned_to: agent.id, full_name: 'Olena', stage: 'CONTACTED' });
    h.fake.blockedBy(agent.telegram_id, false);
    offset = 0;
  });

  const reminders = () => h.db.selectFrom('reminders').selectAll().orderBy('id').execute();
  const reminderRows = () => h.db.selectFrom('notifications').selectAll().where('kind', '=', 'reminder').orderBy('id').execute();
  const failedNotices = () => h.db.selectFrom('notifications').select(['recipient_user_id', 'payload'])
    .where('kind', '=', 'reminder_failed').orderBy('recipient_user_id').execute();
  const remindIn15 = async () => {
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, '⏰ Remind');
    await h.tg.press(h.as(agent), h.current(card), 'In 15 min');
    return card;
  };
  const sendsTo = (user: User) => h.fake.callsTo('sendMessage').filter((p) => Number(p.chat_id) === user.telegram_id).length;

  it('⏰ Remind → In 15 min: the card shows the next step, and at its time the reminder arrives with the card and its buttons', async () => {
    const card = await remindIn15();
    expect(h.tg.lastAnswer()?.text).toContain('Reminder set');
    expect(h.current(card).text).toContain('Next step');

    expect(await delivery.runOnce()).toEqual([]);
    later(16 * MIN);
    expect(await delivery.runOnce()).toMatchObject([{ kind: 'reminder', outcome: 'sent' }]);

    const message = h.fake.lastMessage(agent.telegram_id);
    expect(message.text).toContain(`Reminder</b> · lead #${lead.id}`);
    expect(message.text).toContain('Olena');
    expect(labelsOf(message).slice(0, 3)).toEqual(['✅ Done', '⏰ +1 h', '⏰ Tomorrow']);
    expect(await reminders()).toMatchObject([{ status: 'sent' }]);

    await h.tg.press(h.as(agent), message, '✅ Done');
    expect(await reminders()).toMatchObject([{ status: 'done' }]);
  });

  it('a typed time with a text, in Ukrainian too; a text without a time is asked again', async () => {
    await h.db.updateTable('users').set({ language: 'uk' }).where('id', '=', agent.id).execute();
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, '⏰ Нагадати');
    await h.tg.press(h.as(agent), h.current(card), 'Ввести час');
    await h.tg.send(h.as(agent), 'передзвонити колись');
    expect(h.lastText(agent)).toContain('Не вдалося прочитати час');
    await h.tg.send(h.as(agent), 'через 2 години передзвонити щодо бюджету');
    const [reminder] = await reminders();
    expect(reminder).toMatchObject({ body: 'передзвонити щодо бюджету', status: 'scheduled' });
    expect(Math.abs(reminder!.due_at.getTime() - clock().getTime() - 120 * MIN)).toBeLessThan(MIN);
  });

  it('⏰ +1 h on a delivered reminder brings it back an hour later, once', async () => {
    await remindIn15();
    later(16 * MIN);
    await delivery.runOnce();
    await h.tg.press(h.as(agent), h.fake.lastMessage(agent.telegram_id), '+1 h');
    expect(await reminders()).toMatchObject([{ status: 'scheduled' }]);
    later(30 * MIN);
    expect(await delivery.runOnce()).toEqual([]);
    later(31 * MIN);
    expect(await delivery.runOnce()).toMatchObject([{ kind: 'reminder', outcome: 'sent' }]);
    expect(await delivery.runOnce()).toEqual([]);
  });

  it('/reminders lists mine; ✖ cancels one, which is then never delivered', async () => {
    await remindIn15();
    await h.tg.send(h.as(agent), '/reminders');
    const list = h.fake.lastMessage(agent.telegram_id);
    expect(list.text).toContain('Your reminders</b> (1)');
    expect(list.text).toContain(`#${lead.id} Olena`);
    await h.tg.press(h.as(agent), list, '✖ 1');
    expect(h.current(list).text).toContain('No reminders');
    later(20 * MIN);
    expect(await delivery.runOnce()).toEqual([]);
    expect(await reminders()).toMatchObject([{ status: 'cancelled' }]);
  });

  it('429 with retry_after: held back for it, then sent; a 429 is Telegram saying when, so it uses up no attempt', async () => {
    await remindIn15();
    later(16 * MIN);
    h.fake.failNext('sendMessage', failures.tooManyRequests(7), 3);
    for (let i = 0; i < 3; i++) {
      expect(await delivery.runOnce()).toMatchObject([{ outcome: 'retry' }]);
      const [row] = await reminderRows();
      // Held back for retry_after by the database's clock (core's, moved on here, lets it through).
      expect(row!.next_attempt_at.getTime()).toBeGreaterThan(Date.now() + 5_000);
    }
    expect(await reminders()).toMatchObject([{ status: 'scheduled' }]);
    expect(await delivery.runOnce()).toMatchObject([{ outcome: 'sent' }]);
    expect(await reminders()).toMatchObject([{ status: 'sent' }]);
    expect((await reminderRows())[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('5xx three times: failed after the third attempt, and the owner and the managers are told', async () => {
    await remindIn15();
    later(16 * MIN);
    h.fake.failNext('sendMessage', failures.serverError(), 3);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [result] = await delivery.runOnce();
      expect(result).toMatchObject({ kind: 'reminder', outcome: attempt < 3 ? 'retry' : 'failed' });
      later(MIN);
    }
    expect(await reminders()).toMatchObject([{ status: 'failed', failure: 'retries' }]);
    expect(await failedNotices()).toMatchObject([
      { recipient_user_id: agent.id, payload: { reason: 'retries' } }, { recipient_user_id: manager.id, payload: { reason: 'retries' } },
    ].sort((a, b) => a.recipient_user_id - b.recipient_user_id));
    await h.deliver();
    expect(h.lastText(manager)).toContain('Нагадування про лід');
    await h.tg.send(h.as(agent), '/reminders');
    expect(h.lastText(agent)).toContain('not delivered');
  });

  it('403 (the owner blocked the bot): failed at once, only the managers are told', async () => {
    await remindIn15();
    later(16 * MIN);
    h.fake.blockedBy(agent.telegram_id);
    expect(await delivery.runOnce()).toMatchObject([{ kind: 'reminder', outcome: 'failed' }]);
    expect(await reminders()).toMatchObject([{ status: 'failed', failure: 'refused' }]);
    expect(await failedNotices()).toMatchObject([{ recipient_user_id: manager.id, payload: { reason: 'refused' } }]);
  });

  it('a crash between Telegram taking it and the mark: taken again after the lease, delivered and marked sent', async () => {
    await remindIn15();
    later(16 * MIN);
    // The dead instance: claimed with a lease that runs out at once, sent it, died before marking.
    const [claimed] = await h.core.outbox.claim({ limit: 10, leaseMs: 0, token: 'dead-instance' });
    expect(claimed).toMatchObject({ kind: 'reminder' });
    const api = new Api(TEST_BOT_TOKEN, { apiRoot: h.config.TELEGRAM_API_ROOT });
    api.config.use(h.fake.transformer);
    await api.sendMessage(agent.telegram_id, 'the reminder, as the dead instance sent it');
    expect(await reminders()).toMatchObject([{ status: 'scheduled' }]);

    expect(await delivery.runOnce()).toMatchObject([{ kind: 'reminder', outcome: 'sent' }]);
    expect(await reminders()).toMatchObject([{ status: 'sent' }]);
    expect(await delivery.runOnce()).toEqual([]);
  });

  it('two instances delivering at once send a due reminder once', async () => {
    await remindIn15();
    later(16 * MIN);
    const before = sendsTo(agent);
    const other = h.delivery();
    const results = (await Promise.all([delivery.runOnce(), other.runOnce(), delivery.runOnce()])).flat();
    expect(results.filter((r) => r.kind === 'reminder' && r.outcome === 'sent')).toHaveLength(1);
    expect(sendsTo(agent) - before).toBe(1);
  });

  it('/digest shows the day now, with a button per lead', async () => {
    // Core's clock at the next noon in Kyiv, so "in 15 min" is today whatever the real time.
    const next = new Date();
    next.setUTCHours(10, 0, 0, 0);
    if (next.getTime() < Date.now()) next.setUTCDate(next.getUTCDate() + 1);
    offset = next.getTime() - Date.now();
    await remindIn15();
    await h.tg.send(h.as(agent), '/digest');
    const digest = h.fake.lastMessage(agent.telegram_id);
    expect(digest.text).toContain('Your day');
    expect(digest.text).toContain('Reminders today</b>: 1');
    expect(labelsOf(digest)).toContain(`⏰ #${lead.id}`);
  });

  it('an escalation reaches the managers with 👤 Reassign and 🔔 Ping owner; the ping reaches the owner', async () => {
    const { queueMessage } = await import('../../core/outbox/outbox.writer.js');
    await queueMessage(h.db, { user: manager.id }, {
      kind: 'escalation', leadId: lead.id, cause: 'stale', rung: 2, ownerId: agent.id, toUserId: null,
    });
    await h.deliver();
    const alert = h.fake.lastMessage(manager.telegram_id);
    expect(alert.text).toContain(`Лід #${lead.id} потребує менеджера`);
    expect(labelsOf(alert).slice(0, 2)).toEqual(['👤 Передати', '🔔 Нагадати власнику']);
    await h.tg.press(h.as(manager), alert, '🔔');
    await h.deliver();
    expect(h.lastText(agent)).toContain('Mia asks you to act on this lead');
  });
});
