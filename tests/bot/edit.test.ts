import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { transitionStage } from '../../core/leads/cold-pipeline.service.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { buttonsOf, type ChatMessage } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('✏️ Edit on the lead card (§2, §4)', () => {
  let h: BotHarness;
  let agent: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
  });
  afterAll(() => h.close());

  const fieldUpdates = async (leadId: number) =>
    (await listHistory(h.db, leadId, { limit: 20, offset: 0 })).items.filter((r) => r.action === 'FIELDS_UPDATED');

  /** Opens the card, taps ✏️ Edit, then the field; returns the card message. */
  async function editField(user: User, leadId: number, label: string): Promise<ChatMessage> {
    const card = await h.openCard(user, leadId);
    await h.tg.press(h.as(user), card, 'Edit');
    await h.tg.press(h.as(user), h.current(card), label);
    return card;
  }

  it('offers the fields as buttons, saves the typed value and shows the card again with it', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Edit');
    const picker = h.current(card);
    expect(picker.text).toContain(`✏️ Which field of lead #${lead.id} do you want to change?`);
    expect(buttonsOf(picker).map((b) => b.text))
      .toEqual(['Company', 'Position', 'Domain', 'Intent', 'Pain points', 'Phone', 'Email', '↩️ Back']);

    await h.tg.press(h.as(agent), picker, 'Company');
    expect(h.current(card).text)
      .toContain(`\n\n✏️ Lead #${lead.id} · <b>Company</b>\nNow: —\n\nSend the new value, "-" to clear it, or /cancel.`);
    await h.tg.send(h.as(agent), '  Acme <b>&</b> Sons ');

    expect((await getLead(h.db, lead.id)).company).toBe('Acme & Sons');
    const fresh = h.fake.lastMessage(agent.telegram_id);
    expect(fresh.text).toContain(`✏️ Lead #${lead.id}: Company saved.`);
    expect(fresh.text).toContain('Company: Acme &amp; Sons');
    expect(buttonsOf(fresh).map((b) => b.text)).toContain('✏️ Edit');
    // One card: the one the edit started on is replaced by the fresh one.
    expect(h.fake.has(card.chatId, card.messageId)).toBe(false);
    expect(await fieldUpdates(lead.id)).toMatchObject([{ details: { company: { from: null, to: 'Acme & Sons' } } }]);
    // The conversation is over.
    await h.tg.send(h.as(agent), 'Another Co');
    expect(h.lastText(agent)).toContain('Unknown command');
  });

  it('"-" clears a field, and the question shows the value it replaces', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, position: 'Head of <Sales>' });
    const card = await editField(agent, lead.id, 'Position');
    expect(h.current(card).text).toContain('Now: Head of &lt;Sales&gt;');
    await h.tg.send(h.as(agent), '-');
    expect((await getLead(h.db, lead.id)).position).toBeNull();
    expect(h.fake.lastMessage(agent.telegram_id).text).not.toContain('Position:');
  });

  it('normalises a phone, and asks again after an invalid one', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await editField(agent, lead.id, 'Phone');
    await h.tg.send(h.as(agent), 'call me');
    expect(h.lastText(agent)).toBe('⚠️ That is not a phone number. Send it with the country code, e.g. +380501234567, or /cancel.');
    expect(await fieldUpdates(lead.id)).toHaveLength(0);
    await h.tg.send(h.as(agent), '+38 050 765 43 21');
    expect((await getLead(h.db, lead.id)).phone).toBe('+380507654321');
    expect(h.fake.lastMessage(agent.telegram_id).text).toContain('Phone: +380507654321');
  });

  it('refuses the email of another live lead as a duplicate of that lead, then takes another', async () => {
    const other = await makeLead(h.db, { email: 'taken@example.com' });
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await editField(agent, lead.id, 'Email');
    await h.tg.send(h.as(agent), 'Taken@Example.com');
    expect(h.lastText(agent)).toBe(
      `⚠️ This is a duplicate of lead #${other.id}, which already has this contact. Send another value, or /cancel.`);
    expect((await getLead(h.db, lead.id)).email).toBe(lead.email);
    await h.tg.send(h.as(agent), 'free@example.com');
    expect((await getLead(h.db, lead.id)).email).toBe('free@example.com');
  });

  it('refuses clearing the last contact, and /cancel leaves the lead as it was', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, email: 'only@example.com', phone: null });
    await editField(agent, lead.id, 'Email');
    await h.tg.send(h.as(agent), '-');
    expect(h.lastText(agent)).toBe(
      '⚠️ A lead must keep a phone or an email, so this one cannot be cleared. Send a new value, or /cancel.');
    await h.tg.send(h.as(agent), '/cancel');
    expect(h.lastText(agent)).toBe('Cancelled.');
    expect(await getLead(h.db, lead.id)).toMatchObject({ email: 'only@example.com', version: lead.version });
  });

  it('when the lead changed while the value was being typed, ends with a clear message and writes nothing', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await editField(agent, lead.id, 'Company');
    await transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: manager });
    await h.tg.send(h.as(agent), 'Acme');

    const after = await getLead(h.db, lead.id);
    expect(after.company).toBeNull();
    expect(await fieldUpdates(lead.id)).toHaveLength(0);
    const fresh = h.fake.lastMessage(agent.telegram_id);
    expect(fresh.text).toContain(
      `⚠️ Lead #${lead.id} has changed meanwhile, so nothing was saved. Here is the current card; tap ✏️ Edit to try again.`);
    expect(fresh.text).toContain('Stage: <b>CONTACTED</b>');
    await h.tg.send(h.as(agent), 'Acme again');
    expect(h.lastText(agent)).toContain('Unknown command');
  });

  it('a stale card\'s ✏️ Edit shows the current card instead of the fields', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await transitionStage(h.db, { leadId: lead.id, to: 'CONTACTED', actor: manager });
    await h.tg.press(h.as(agent), card, 'Edit');
    expect(h.tg.lastAnswer()?.text).toBe(`⚠️ Lead #${lead.id} has changed meanwhile — here is the current card.`);
    expect(h.current(card).text).toContain('Stage: <b>CONTACTED</b>');
  });

  it("refuses an agent editing someone else's lead, and editing a closed lead", async () => {
    const other = await makeUser(h.db, { name: 'Oleg Other' });
    const lead = await makeLead(h.db, { assigned_to: other.id, company: 'Private Co' });
    const stranger = h.as(agent);
    const someMessage = { chatId: agent.telegram_id, messageId: 1, text: 'x' };
    const before = h.fake.calls.length;
    await h.tg.tap(stranger, someMessage, `ed1:${lead.id}:${lead.version}`);
    await h.tg.tap(stranger, someMessage, `ef1:company:${lead.id}:${lead.version}`);
    const calls = h.fake.calls.slice(before);
    for (const c of calls) expect(JSON.stringify(c.payload)).not.toContain('Private Co');
    expect(calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload?.text))
      .toEqual(Array(2).fill('⛔ You are not allowed to do this.'));

    const lost = await makeLead(h.db, { assigned_to: agent.id, stage: 'LOST', lost_reason: 'Spam' });
    expect(buttonsOf(await h.openCard(agent, lost.id)).map((b) => b.text)).not.toContain('✏️ Edit');
    await h.tg.tap(stranger, someMessage, `ef1:company:${lost.id}:${lost.version}`);
    expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
    await h.tg.send(stranger, 'Acme');
    expect((await getLead(h.db, lost.id)).company).toBeNull();
  });
});
