import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { createRateLimiter, RATE_LIMITS } from '../../core/security/rate-limit.js';
import { captureLogger } from '../http/http-harness.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';
import { createTestStore } from '../support/test-store.js';

describe('safety in the bot (§16)', () => {
  let h: BotHarness;
  let agent: User;
  const logs = captureLogger();
  const limiterStore = createTestStore();

  beforeAll(async () => {
    // Two stage changes an hour, so the third shows the refusal.
    const limits = { ...RATE_LIMITS, stage_transition: { limit: 2, windowMs: 3_600_000 } };
    h = await createBotHarness({}, { logger: logs.logger, limiter: createRateLimiter(limiterStore, limits) });
    agent = await makeUser(h.db, { name: 'Ann Agent' });
  });
  afterAll(async () => {
    await h.close();
    await limiterStore.close();
  });

  async function confirmContacted(leadId: number): Promise<void> {
    await h.tg.send(h.as(agent), `/lead ${leadId}`);
    const card = h.fake.lastMessage(agent.telegram_id);
    await h.tg.press(h.as(agent), card, 'Contacted');
    await h.tg.press(h.as(agent), h.fake.message(card.chatId, card.messageId), 'Confirm');
  }

  it('refuses the stage change past the hourly limit, says when to retry, and changes nothing', async () => {
    const leads = await Promise.all([1, 2, 3].map(() => makeLead(h.db, { assigned_to: agent.id })));
    await confirmContacted(leads[0]!.id);
    await confirmContacted(leads[1]!.id);
    await confirmContacted(leads[2]!.id);
    expect((await getLead(h.db, leads[1]!.id)).stage).toBe('CONTACTED');
    expect((await getLead(h.db, leads[2]!.id)).stage).toBe('NEW');
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toMatch(/Too many actions of this kind\. Try again in (59|60) min\./);
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
