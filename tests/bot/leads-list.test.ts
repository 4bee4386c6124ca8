import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, User } from '../../core/database.js';
import { buttonsOf, type ChatMessage } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('/leads (§6)', () => {
  let h: BotHarness;
  let agent: User;
  let otherAgent: User;
  let manager: User;
  const mine: Lead[] = [];

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db);
    otherAgent = await makeUser(h.db);
    manager = await makeUser(h.db, { role: 'manager' });
    for (let i = 0; i < 18; i++) mine.push(await makeLead(h.db, { assigned_to: agent.id, full_name: `Mine ${i}` }));
    await makeLead(h.db, { assigned_to: otherAgent.id, full_name: 'Not yours' });
    await makeLead(h.db, { assigned_to: agent.id, stage: 'LOST', lost_reason: 'x', full_name: 'Closed one' });
  });
  afterAll(() => h.close());

  const leadButtons = (m: ChatMessage) => buttonsOf(m).filter((b) => b.text.startsWith('#')).map((b) => b.text);

  it("pages through the agent's own open leads, newest first, with ◀ ▶", async () => {
    await h.tg.send(h.as(agent), '/leads');
    const list = h.fake.lastMessage(agent.telegram_id);
    expect(list.text).toContain('page 1');
    const newestFirst = [...mine].reverse();
    expect(leadButtons(list)).toHaveLength(8);
    expect(leadButtons(list)[0]).toContain(`#${newestFirst[0]!.id}`);
    expect(buttonsOf(list).map((b) => b.text)).not.toContain('◀');

    await h.tg.press(h.as(agent), list, '▶');
    expect(h.current(list).text).toContain('page 2');
    expect(leadButtons(h.current(list))[0]).toContain(`#${newestFirst[8]!.id}`);

    await h.tg.press(h.as(agent), h.current(list), '▶');
    const page3 = h.current(list);
    expect(leadButtons(page3)).toHaveLength(2);
    expect(buttonsOf(page3).map((b) => b.text)).not.toContain('▶');
    const seen = JSON.stringify(buttonsOf(page3));
    expect(seen).not.toContain('Not yours');
    expect(seen).not.toContain('Closed one');

    await h.tg.press(h.as(agent), page3, '◀');
    await h.tg.press(h.as(agent), h.current(list), '◀');
    expect(h.current(list).text).toContain('page 1');
    expect(leadButtons(h.current(list))).toEqual(leadButtons(list));
  });

  it('keeps every callback within 64 bytes', async () => {
    await h.tg.send(h.as(agent), '/leads');
    for (const b of buttonsOf(h.fake.lastMessage(agent.telegram_id))) {
      expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
  });

  it('opens a card from the list as a new message', async () => {
    await h.tg.send(h.as(agent), '/leads');
    const list = h.fake.lastMessage(agent.telegram_id);
    await h.tg.press(h.as(agent), list, `#${mine[17]!.id}`);
    expect(h.fake.lastMessage(agent.telegram_id).text).toContain(`<b>Lead #${mine[17]!.id}</b>`);
  });

  it("does not let another user page with someone else's page button", async () => {
    await h.tg.send(h.as(agent), '/leads');
    const list = h.fake.lastMessage(agent.telegram_id);
    await h.tg.tap(h.as(otherAgent), list, h.tg.dataOf(list, '▶'));
    expect(h.tg.lastAnswer()?.text).toBe('⌛ This list has expired. Send /leads again.');
    expect(h.current(list).text).toBe(list.text);
  });

  it('shows managers every open lead', async () => {
    await h.tg.send(h.as(manager), '/leads');
    const list = h.fake.lastMessage(manager.telegram_id);
    expect(leadButtons(list)[0]).toContain('Not yours');
  });

  it('says so when there are no open leads', async () => {
    await h.tg.send(h.as(otherAgent), '/leads');
    await h.tg.send(h.as(await makeUser(h.db)), '/leads');
    expect(h.fake.callsTo('sendMessage').at(-1)!.text).toBe('No open leads.');
  });
});
