import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('lead card (§3)', () => {
  let h: BotHarness;
  let agent: User;
  let otherAgent: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    otherAgent = await makeUser(h.db, { name: 'Oleg Other' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
  });
  afterAll(() => h.close());


  it('shows the lead and only the buttons the stage and role allow', async () => {
    const lead = await makeLead(h.db, {
      assigned_to: agent.id, full_name: 'Nina Lead', phone: '+380501234567', utm_source: 'google', utm_campaign: 'spring',
      intent: 'Wants a demo', ai_score: 0.8512, quality_tier: 'HOT', form_reference: 'tilda-form-8812',
      created_at: new Date(Date.now() - 3 * 60 * 60 * 1000 - 60_000),
    });
    const card = await h.openCard(agent, lead.id);
    expect(card.text).toContain(`<b>Lead #${lead.id}</b>`);
    expect(card.text).toContain('Nina Lead');
    // Plain text, which Telegram turns into a tappable number (not inside <code>, not a link).
    expect(card.text).toContain('Phone: +380501234567\n');
    expect(card.text).toContain('UTM: source google · campaign spring');
    expect(card.text).toContain('Source: Website');
    expect(card.text).not.toContain('tilda-form-8812');
    expect(card.text).toContain('Wants a demo');
    expect(card.text).toContain('AI score: <b>0.85</b> 🔥 HOT');
    expect(card.text).toContain('Assignee: Ann Agent');
    expect(card.text).toMatch(/Came in: 3 hours ago \(\d{1,2} [A-Z][a-z]{2}, \d\d:\d\d\)/);
    expect(labelsOf(card)).toEqual(['📞 Contacted', '❌ Lost', '📝 Note', '🗒 Notes', '📎 Attach', '⏰ Remind', '✏️ Edit', '🕘 History', '🤖 Analyze']);

    const contacted = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED' });
    expect(labelsOf(await h.openCard(agent, contacted.id)))
      .toEqual(['➡️ Qualified', '❌ Lost', '📝 Note', '🗒 Notes', '📎 Attach', '⏰ Remind', '✏️ Edit', '🕘 History', '🤖 Analyze']);
    expect(labelsOf(await h.openCard(manager, contacted.id)))
      .toEqual(['➡️ Qualified', '❌ Lost', '↩️ Roll back', '📝 Note', '🗒 Notes', '📎 Attach', '⏰ Remind', '✏️ Edit', '🕘 History', '🤖 Analyze', '👤 Reassign']);

    const lost = await makeLead(h.db, { assigned_to: agent.id, stage: 'LOST', lost_reason: 'Spam' });
    expect(labelsOf(await h.openCard(agent, lost.id))).toEqual(['📝 Note', '🗒 Notes', '📎 Attach', '🕘 History']);
  });

  it('shows a phone the form sent but the parser could not read as typed, marked unverified', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, phone: null, phone_unverified: '093 123 <45> 67' });
    const card = await h.openCard(agent, lead.id);
    expect(card.text).toContain('Phone (as typed, unverified): 093 123 &lt;45&gt; 67');
  });

  it('after a Redis outage, stray text says a question may have been lost instead of "unknown command"', async () => {
    let trouble = true;
    const other = await createBotHarness({}, { storeTrouble: () => trouble });
    try {
      const ann = await makeUser(other.db, { name: 'Ann' });
      await other.tg.send(other.as(ann), 'the reason I was typing');
      expect(other.lastText(ann)).toContain('the bot lost it during a short outage');
      trouble = false;
      await other.tg.send(other.as(ann), 'hello again');
      expect(other.lastText(ann)).toContain('Unknown command');
    } finally {
      await other.close();
    }
  });

  it('when an agent confirms Contacted, the stage changes once, history records it and the card is edited in place', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    const sentBefore = h.fake.callsTo('sendMessage').length;

    await h.tg.press(h.as(agent), card, 'Contacted');
    const confirm = h.current(card);
    expect(confirm.text).toContain(`Move lead #${lead.id} to <b>CONTACTED</b>? It can be rolled back.`);
    expect(labelsOf(confirm)).toEqual(['✅ Confirm', '❌ Cancel']);
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');

    await h.tg.press(h.as(agent), confirm, 'Confirm');
    const updated = await getLead(h.db, lead.id);
    expect(updated.stage).toBe('CONTACTED');
    const history = await listHistory(h.db, lead.id, { limit: 10, offset: 0 });
    expect(history.items.filter((r) => r.action === 'STAGE_CHANGED'))
      .toMatchObject([{ from_stage: 'NEW', to_stage: 'CONTACTED', actor_user_id: agent.id }]);
    const edited = h.current(card);
    expect(edited.text).toContain('Stage: <b>CONTACTED</b>');
    // The confirmation is the tap's toast, not words added to the card or a new message.
    expect(h.tg.lastAnswer()).toMatchObject({ text: `✅ Lead #${lead.id} moved to CONTACTED.`, show_alert: false });
    expect(edited.text).not.toContain('moved to');
    expect(labelsOf(edited)).toEqual(['➡️ Qualified', '❌ Lost', '📝 Note', '🗒 Notes', '📎 Attach', '⏰ Remind', '✏️ Edit', '🕘 History', '🤖 Analyze']);
    // Edited in place: no new message.
    expect(h.fake.callsTo('sendMessage')).toHaveLength(sentBefore);
  });

  it('answers each tap once, when its work is done, so the answer can carry its words', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    const from = h.fake.calls.length;
    await h.tg.press(h.as(agent), card, 'Contacted');
    expect(h.fake.calls.slice(from).map((c) => c.method)).toEqual(['editMessageText', 'answerCallbackQuery']);
  });

  it('when the agent double-taps Confirm, the stage changes once and the card keeps showing the move they made', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Contacted');
    const confirm = h.current(card);
    const data = h.tg.dataOf(confirm, 'Confirm');

    // One tap lands on this instance, the other on a second replica: a real race on the database.
    const replica = h.anotherInstance();
    await Promise.all([h.tg.tap(h.as(agent), confirm, data), replica.tap(h.as(agent), confirm, data)]);

    const history = await listHistory(h.db, lead.id, { limit: 10, offset: 0 });
    expect(history.items.filter((r) => r.action === 'STAGE_CHANGED')).toHaveLength(1);
    expect((await getLead(h.db, lead.id)).stage).toBe('CONTACTED');
    // The second tap is the same person's replay: it changes nothing and leaves the winner's result on the card.
    expect(h.current(card).text).toContain('Stage: <b>CONTACTED</b>');
    expect(h.current(card).text).not.toContain('changed meanwhile');
    const answers = h.fake.callsTo('answerCallbackQuery').slice(-2).map((c) => c.payload?.text ?? '');
    expect(answers.filter((text) => text.includes('changed meanwhile'))).toEqual([]);

    // A third, late tap is the same replay: nothing applied, nothing redrawn.
    const edits = h.fake.callsTo('editMessageText').length;
    await h.tg.tap(h.as(agent), confirm, data);
    expect(h.fake.callsTo('editMessageText')).toHaveLength(edits);
    expect(history.items.filter((r) => r.action === 'STAGE_CHANGED')).toHaveLength(1);
    expect(h.current(card).text).toContain('Stage: <b>CONTACTED</b>');
  });

  it('when the card is stale because someone else moved the lead, the stage button shows the current card instead', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const agentCard = await h.openCard(agent, lead.id);
    const managerCard = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), managerCard, 'Contacted');
    await h.tg.press(h.as(manager), h.current(managerCard), 'Confirm');

    const sent = h.fake.callsTo('sendMessage').length;
    await h.tg.press(h.as(agent), agentCard, 'Contacted');
    // The card is refreshed in place and the tap's toast says why.
    expect(h.tg.lastAnswer()).toMatchObject({ text: `⚠️ Lead #${lead.id} has changed meanwhile — here is the current card.` });
    expect(h.current(agentCard).text).toContain('Stage: <b>CONTACTED</b>');
    expect(labelsOf(h.current(agentCard))).toContain('➡️ Qualified');
    expect(h.fake.callsTo('sendMessage')).toHaveLength(sent);
  });

  it('❌ Cancel on the confirmation restores the card and changes nothing', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Contacted');
    await h.tg.press(h.as(agent), h.current(card), 'Cancel');
    expect(h.current(card).text).toBe(card.text);
    expect(labelsOf(h.current(card))).toEqual(labelsOf(card));
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
  });

  it("refuses a forged callback for another agent's lead and shows nothing of it", async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, full_name: 'Private Person' });
    const stranger = h.as(otherAgent);
    const someMessage = { chatId: otherAgent.telegram_id, messageId: 1, text: 'x' };
    const before = h.fake.calls.length;

    await h.tg.tap(stranger, someMessage, `lk1:CONTACTED:${lead.id}:${lead.version}`);
    await h.tg.tap(stranger, someMessage, `lo1:${lead.id}`);
    await h.tg.tap(stranger, someMessage, `lh1:${lead.id}:1`);
    await h.tg.send(stranger, `/lead ${lead.id}`);

    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
    const calls = h.fake.calls.slice(before);
    for (const c of calls) expect(JSON.stringify(c.payload)).not.toContain('Private Person');
    // Taps are refused in their answer (an alert), the command in a reply.
    const alerts = calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => [c.payload?.text, c.payload?.show_alert]);
    expect(alerts).toEqual(Array(3).fill(['⛔ You are not allowed to do this.', true]));
    const replies = calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text);
    expect(replies).toEqual(['⛔ You are not allowed to do this.']);
  });

  it('answers "outdated button" to malformed or unknown callback data', async () => {
    const msg = { chatId: agent.telegram_id, messageId: 1, text: 'x' };
    for (const data of ['lk1:CONTACTED:abc:1', 'lk1:TRANSFERRED:1:1', 'lk0:CONTACTED:1:1', 'zz9:1', 'lo1:01', 'lo1:1:2']) {
      await h.tg.tap(h.as(agent), msg, data);
      expect(h.tg.lastAnswer()?.text).toBe('⌛ This button is outdated.');
    }
  });

  it('tells the agent which stage is expected when a move skips one', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await h.tg.tap(h.as(agent), { chatId: agent.telegram_id, messageId: 1, text: 'x' },
      `lk1:QUALIFIED:${lead.id}:${lead.version}`);
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⛔ Cannot move from NEW to QUALIFIED. Expected CONTACTED.', show_alert: true });
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
  });

  it('escapes user text on the card: a name of <b>&</b> is shown literally', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, full_name: '<b>&</b>', company: 'A & B <Ltd>' });
    const card = await h.openCard(agent, lead.id);
    expect(card.text).toContain('Name: &lt;b&gt;&amp;&lt;/b&gt;');
    expect(card.text).toContain('Company: A &amp; B &lt;Ltd&gt;');
    expect(h.fake.callsTo('sendMessage').at(-1)).toMatchObject({ parse_mode: 'HTML' });
  });

  it('reports each update to onUpdate, and an unexpected failure as not ok with a generic apology', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    expect(h.updates.at(-1)).toMatchObject({ type: 'message', ok: true });

    h.fake.failNext('editMessageText', { error_code: 400, description: "Bad Request: message can't be edited" });
    const from = h.fake.calls.length;
    await h.tg.press(h.as(agent), card, 'Contacted');
    expect(h.updates.at(-1)).toMatchObject({ type: 'callback_query', ok: false });
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toBe('⚠️ Something went wrong. Please try again.');
    // Answered once, first; the error edge does not answer again.
    expect(h.fake.calls.slice(from).filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
  });

  it('answers /lead without a number with its usage', async () => {
    await h.tg.send(h.as(agent), '/lead abc');
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toContain('Usage: /lead');
  });
});
