import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { listNotes } from '../../core/leads/lead-note.service.js';
import { buttonsOf, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('lead card: lost, notes, rollback, history (§3, §5)', () => {
  let h: BotHarness;
  let agent: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
  });
  afterAll(() => h.close());


  it('when an agent picks a preset lost reason, the lead is LOST with that reason and the card shows it', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Lost');
    const reasons = h.current(card);
    expect(reasons.text).toContain(`Why is lead #${lead.id} lost?`);
    expect(buttonsOf(reasons).map((b) => b.text)).toEqual([
      'No budget', 'No response', 'Chose a competitor', 'Not a fit', 'Spam', '✍️ Other…', '↩️ Back',
    ]);

    await h.tg.press(h.as(agent), reasons, 'No budget');
    expect(await getLead(h.db, lead.id)).toMatchObject({ stage: 'LOST', lost_reason: null, lost_reason_code: 'no_budget' });
    expect(h.tg.lastAnswer()?.text).toBe(`✅ Lead #${lead.id} moved to LOST.`);
    expect(h.current(card).text).toContain('Lost reason: No budget');
    // A lost lead keeps notes, files and history, and the Lost can be undone for 30 s.
    expect(buttonsOf(h.current(card)).map((b) => b.text)).toEqual(['📝 Note', '🗒 Notes', '📎 Attach', '🕘 History', '↩️ Undo']);
  });

  it('when an agent types another lost reason, the conversation applies it and redraws the card', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Lost');
    const sent = h.fake.sentTexts(agent.telegram_id).length;
    await h.tg.press(h.as(agent), h.current(card), 'Other');
    // Asked on the card itself: no new message; the card's buttons give way to ❌ Cancel.
    expect(h.current(card).text).toContain(`✍️ Type the reason lead #${lead.id} is lost, or /cancel.`);
    expect(labelsOf(h.current(card))).toEqual(['❌ Cancel']);
    expect(h.fake.sentTexts(agent.telegram_id)).toHaveLength(sent);

    await h.tg.send(h.as(agent), 'Moved abroad <for good> & closed');
    const updated = await getLead(h.db, lead.id);
    expect(updated.stage).toBe('LOST');
    expect(updated.lost_reason).toContain('Moved abroad');
    // One card in the chat: the old one is gone, the fresh one is under the reply, with ↩️ Undo.
    expect(h.fake.has(card.chatId, card.messageId)).toBe(false);
    const fresh = h.fake.lastMessage(agent.telegram_id);
    expect(fresh.text).toContain(`Lead #${lead.id} moved to <b>LOST</b>`);
    expect(fresh.text).toContain('Lost reason: Moved abroad  &amp; closed'); // core strips the tag-like text (§16)
    expect(labelsOf(fresh)).toContain('↩️ Undo');
    // The conversation is over: the next text is not taken as a reason.
    await h.tg.send(h.as(agent), 'hello');
    expect(h.lastText(agent)).toContain('Unknown command');
  });

  it('/cancel leaves the lost-reason question without changing the lead', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Lost');
    await h.tg.press(h.as(agent), h.current(card), 'Other');
    await h.tg.send(h.as(agent), '/cancel');
    expect(h.lastText(agent)).toBe('Cancelled.');
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
    // The card the question was asked on is a card again, in place.
    expect(h.current(card).text).toBe(card.text);
    expect(labelsOf(h.current(card))).toEqual(labelsOf(card));
  });

  it('❌ Cancel under the question leaves it with a toast and gives the card its buttons back', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Note');
    const sent = h.fake.sentTexts(agent.telegram_id).length;
    await h.tg.press(h.as(agent), h.current(card), 'Cancel');
    expect(h.tg.lastAnswer()?.text).toBe('Cancelled.');
    expect(h.current(card).text).toBe(card.text);
    expect(labelsOf(h.current(card))).toEqual(labelsOf(card));
    expect(h.fake.sentTexts(agent.telegram_id)).toHaveLength(sent);
    // The question is over: a text now is not taken as a note.
    await h.tg.send(h.as(agent), 'not a note');
    expect((await listNotes(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('adds a note typed in the note conversation, and rejects an empty wait with a hint', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Note');
    expect(h.current(card).text).toContain(`Send the note for lead #${lead.id} (up to 4096 characters)`);

    await h.tg.send(h.as(agent), 'Called, wants <b>pricing</b> & a demo');
    const notes = await listNotes(h.db, lead.id, { limit: 10, offset: 0 });
    expect(notes.total).toBe(1);
    expect(notes.items[0]!.body).toContain('pricing');
    expect(notes.items[0]!.author_id).toBe(agent.id);
    expect(h.fake.has(card.chatId, card.messageId)).toBe(false);
    const fresh = h.fake.lastMessage(agent.telegram_id);
    expect(fresh.text.startsWith(`📝 Note added to lead #${lead.id}.`)).toBe(true);
    expect(fresh.text).toContain('Last note (Ann Agent, just now): <i>Called, wants pricing &amp; a demo</i>');
    expect(labelsOf(fresh)).toContain('📝 Note');
  });

  it('keeps waiting for the note when the text is too long, and /cancel stops it', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await h.tg.press(h.as(agent), await h.openCard(agent, lead.id), 'Note');
    await h.tg.send(h.as(agent), 'x'.repeat(4097));
    expect(h.lastText(agent)).toBe('Too long: at most 4096 characters, or /cancel.');
    await h.tg.send(h.as(agent), '/cancel');
    expect(h.lastText(agent)).toBe('Cancelled.');
    expect((await listNotes(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('lets another command through and leaves the note question', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await h.tg.press(h.as(agent), await h.openCard(agent, lead.id), 'Note');
    await h.tg.send(h.as(agent), '/leads');
    expect(h.lastText(agent)).toContain('Open leads');
    await h.tg.send(h.as(agent), 'not a note');
    expect((await listNotes(h.db, lead.id, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('continues a note conversation on another bot instance sharing the store', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await h.tg.press(h.as(agent), await h.openCard(agent, lead.id), 'Note');
    const replica = h.anotherInstance();
    await replica.send(h.as(agent), 'Written on the other replica');
    const notes = await listNotes(h.db, lead.id, { limit: 10, offset: 0 });
    expect(notes.items.map((n) => n.body)).toEqual(['Written on the other replica']);
  });

  it('lets a manager roll back with a reason of at least 10 characters', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED' });
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Roll back');
    await h.tg.send(h.as(manager), 'too short');
    expect(h.lastText(manager)).toBe('Too short: at least 10 characters, or /cancel.');
    await h.tg.send(h.as(manager), 'Client did not answer after all');
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
    expect(h.lastText(manager)).toContain(`Lead #${lead.id} rolled back to <b>NEW</b>`);
    expect(h.fake.has(card.chatId, card.messageId)).toBe(false);
  });

  it('shows history in pages in place of the card, and 📇 returns to the card', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    for (let i = 1; i <= 7; i++) {
      await h.db.insertInto('lead_history').values({
        lead_id: lead.id, action: 'NOTE_ADDED', actor_user_id: i % 2 ? agent.id : null,
        from_stage: null, to_stage: null, reason: `entry <${i}>`, details: null,
      }).execute();
    }
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'History');
    const page1 = h.current(card);
    expect(page1.text).toContain(`History of lead #${lead.id}</b> (1/2)`);
    expect(page1.text).toContain('entry &lt;7&gt;');
    expect(page1.text).toContain('Ann Agent');
    expect(page1.text).toContain('system');
    expect(page1.text).not.toContain('entry &lt;2&gt;');

    await h.tg.press(h.as(agent), page1, '▶');
    expect(h.current(card).text).toContain('(2/2)');
    expect(h.current(card).text).toContain('entry &lt;1&gt;');
    await h.tg.press(h.as(agent), h.current(card), 'Card');
    expect(h.current(card).text).toBe(card.text);
  });

  it('records the stage moves in the history shown by the bot', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Contacted');
    await h.tg.press(h.as(agent), h.current(card), 'Confirm');
    await h.tg.press(h.as(agent), h.current(card), 'History');
    expect(h.current(card).text).toMatch(/• \d{1,2} [A-Z][a-z]{2}, \d\d:\d\d <b>Stage changed<\/b> NEW → CONTACTED · Ann Agent/);
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.total).toBe(1);
  });
});
