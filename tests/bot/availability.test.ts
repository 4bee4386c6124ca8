import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { createLead } from '../../core/leads/lead.service.js';
import { getUser } from '../../core/users/user.service.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('/off and /on (§4)', () => {
  let h: BotHarness;
  let agent: User;
  let colleague: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann', capacity: 50 });
    colleague = await makeUser(h.db, { name: 'Bob', capacity: 5, language: 'uk' });
    await makeLead(h.db, { assigned_to: agent.id });
    await makeLead(h.db, { assigned_to: agent.id, stage: 'QUALIFIED' });
  });
  afterAll(() => h.close());

  it('/off says how many open leads they still hold, and new leads go to others meanwhile', async () => {
    await h.tg.send(h.as(agent), '/off');
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toBe(
      '🌙 You are off: new leads go to others. You still hold 2 open leads — /leads. Send /on when you are back.');
    expect((await getUser(h.db, agent.id)).is_available).toBe(false);
    expect((await createLead(h.db, { source: 'WEB', email: 'off@example.com' })).assigned_to).toBe(colleague.id);
  });

  it('/on makes them a candidate again', async () => {
    await h.tg.send(h.as(agent), '/on');
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toBe('✅ You are back: new leads can come to you again.');
    expect((await createLead(h.db, { source: 'WEB', email: 'on@example.com' })).assigned_to).toBe(agent.id);
  });

  it('answers in the user\'s language, without a count when they hold nothing', async () => {
    await h.tg.send(h.as(colleague), '/off');
    expect(h.fake.sentTexts(colleague.telegram_id).at(-1)).toContain('У вас лишається відкритих лідів: 1');
    const idle = await makeUser(h.db);
    await h.tg.send(h.as(idle), '/off');
    expect(h.fake.sentTexts(idle.telegram_id).at(-1)).toBe('🌙 You are off: new leads go to others. Send /on when you are back.');
  });
});
