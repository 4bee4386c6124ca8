import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { captureLogger } from '../http/http-harness.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('safety in the bot (§16)', () => {
  let h: BotHarness;
  let agent: User;
  const logs = captureLogger();

  beforeAll(async () => {
    // Two stage changes an hour, so the third shows the refusal.
    h = await createBotHarness({ RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '2' }, { logger: logs.logger });
    agent = await makeUser(h.db, { name: 'Ann Agent' });
  });
  afterAll(async () => {
    await h.close();
  });

  async function confirmContacted(leadId: number, who: User = agent): Promise<void> {
    await h.tg.send(h.as(who), `/lead ${leadId}`);
    const card = h.fake.lastMessage(who.telegram_id);
    await h.tg.press(h.as(who), card, 'Contacted');
    await h.tg.press(h.as(who), h.fake.message(card.chatId, card.messageId), 'Confirm');
  }

  it('refuses the stage change past the hourly limit, says when to retry, and changes nothing', async () => {
    const leads = await Promise.all([1, 2, 3].map(() => makeLead(h.db, { assigned_to: agent.id })));
    await confirmContacted(leads[0]!.id);
    await confirmContacted(leads[1]!.id);
    await confirmContacted(leads[2]!.id);
    expect((await getLead(h.db, leads[1]!.id)).stage).toBe('CONTACTED');
    expect((await getLead(h.db, leads[2]!.id)).stage).toBe('NEW');
    expect(h.tg.lastAnswer()?.text).toMatch(/Too many actions of this kind\. Try again in (59|60) minutes\./);
  });

  it('does not count refused taps — a double tap, a stale card — against the limit', async () => {
    const other = await makeUser(h.db, { name: 'Bo Agent' });
    const leads = await Promise.all([1, 2].map(() => makeLead(h.db, { assigned_to: other.id })));
    await h.tg.send(h.as(other), `/lead ${leads[0]!.id}`);
    const card = h.fake.lastMessage(other.telegram_id);
    await h.tg.press(h.as(other), card, 'Contacted');
    const confirm = h.fake.message(card.chatId, card.messageId);
    const data = h.tg.dataOf(confirm, 'Confirm');
    // The first tap moves the lead; the next ones are the same person's replays: refused, not counted.
    for (let i = 0; i < 4; i++) await h.tg.tap(h.as(other), confirm, data);
    expect((await getLead(h.db, leads[0]!.id)).stage).toBe('CONTACTED');
    // A card drawn before a change elsewhere: refused as stale, not counted.
    await h.tg.send(h.as(other), `/lead ${leads[1]!.id}`);
    const second = h.fake.lastMessage(other.telegram_id);
    await h.tg.press(h.as(other), second, 'Contacted');
    const stale = h.fake.message(second.chatId, second.messageId);
    await h.db.updateTable('leads').set({ version: 50 }).where('id', '=', leads[1]!.id).execute();
    await h.tg.press(h.as(other), stale, 'Confirm');
    expect((await getLead(h.db, leads[1]!.id)).stage).toBe('NEW');
    // One use of two was taken: this move still goes through.
    await confirmContacted(leads[1]!.id, other);
    expect((await getLead(h.db, leads[1]!.id)).stage).toBe('CONTACTED');
  });

  it("logs a forged button for someone else's lead, with the user and the data", async () => {
    const owner = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: owner.id });
    const forged = `lo1:${lead.id}`;
    await h.tg.tap(h.as(agent), { chatId: agent.telegram_id, messageId: 1, text: 'x' }, forged);
    expect(logs.lines.find((l) => l.msg === 'bot_action_forbidden'))
      .toMatchObject({ level: 40, user_id: agent.id, callback_data: forged });
  });

  it('logs undecodable callback data', async () => {
    await h.tg.tap(h.as(agent), { chatId: agent.telegram_id, messageId: 1, text: 'x' }, 'lk1:DROP TABLE:1:1');
    expect(logs.lines.find((l) => l.msg === 'bot_callback_undecodable')).toMatchObject({ callback_data: 'lk1:DROP TABLE:1:1' });
  });
});
