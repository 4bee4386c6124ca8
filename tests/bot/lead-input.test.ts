import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { listNotes } from '../../core/leads/lead-note.service.js';
import { buttonsOf } from '../support/fake-telegram.js';
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
    expect(h.current(card).text).toContain('moved to <b>LOST</b>');
    expect(h.current(card).text).toContain('Lost reason: No budget');
    // A lost lead keeps notes, files and history, and the Lost can be undone for 30 s.
    expect(buttonsOf(h.current(card)).map((b) => b.text)).toEqual(['📝 Note', '🗒 Notes', '📎 Attach', '🕘 History', '↩️ Undo']);
  });

  it('when an agent types another lost reason, the conversation applies it and redraws the card', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Lost');
    await h.tg.press(h.as(agent), h.current(card), 'Other');
    expect(h.lastText(agent)).toBe(`✍️ Type the reason lead #${lead.id} is lost, or /cancel.`);

    await h.tg.send(h.as(agent), 'Moved abroad <for good> & closed');
    const updated = await getLead(h.db, lead.id);
    expect(updated.stage).toBe('LOST');
    expect(updated.lost_reason).toContain('Moved abroad');
    expect(h.lastText(agent)).toContain(`Lead #${lead.id} moved to <b>LOST</b>`);
    expect(h.current(card).text).toContain('Stage: <b>LOST</b>');
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
  });

  it('adds a note typed in the note conversation, and rejects an empty wait with a hint', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Note');
    expect(h.lastText(agent)).toContain(`Send the note for lead #${lead.id} (up to 4096 characters)`);

    await h.tg.send(h.as(agent), 'Called, wants <b>pricing</b> & a demo');
    const notes = await listNotes(h.db, lead.id, { limit: 10, offset: 0 });
    expect(notes.total).toBe(1);
    expect(notes.items[0]!.body).toContain('pricing');
    expect(notes.items[0]!.author_id).toBe(agent.id);
    expect(h.lastText(agent)).toBe(`📝 Note added to lead #${lead.id}.`);
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
    expect(h.current(card).text).toContain('STAGE_CHANGED</b> NEW → CONTACTED · Ann Agent');
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.total).toBe(1);
  });
});
