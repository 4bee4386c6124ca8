import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { buttonsOf, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const SALES_CHAT = -1009876543210;

describe('💼 Transfer to sales on a lead card (§8)', () => {
  let h: BotHarness;
  let agent: User;
  let bob: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness({ SALES_CHAT_ID: String(SALES_CHAT) });
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    bob = await makeUser(h.db, { name: 'Bob Agent', language: 'uk' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
  });
  afterAll(() => h.close());

  let phones = 0;
  const qualified = (owner: User | null, p: Parameters<typeof makeLead>[1] = {}) => makeLead(h.db, {
    stage: 'QUALIFIED', assigned_to: owner?.id ?? null, ai_score: 0.72, quality_tier: 'WARM', business_domain: 'Logistics',
    full_name: 'Olena Koval', company: 'Koval & Sons', phone: `+38050123456${phones++}`, ...p,
  });
  const dealOfLead = (leadId: number) => h.db.selectFrom('deals').selectAll().where('lead_id', '=', leadId).executeTakeFirst();

  it('the agent transfers their lead: the card says so, the owner gets the deal card, the sales chat its copy', async () => {
    const lead = await qualified(agent);
    const card = await h.openCard(agent, lead.id);
    expect(labelsOf(card)).toContain('💼 Transfer to sales');
    await h.tg.press(h.as(agent), card, 'Transfer to sales');
    expect(h.current(card).text).toContain(`Transfer lead #${lead.id} to sales? The deal's owner: <b>Ann Agent</b>.`);
    // Agents cannot give the deal to someone else.
    expect(labelsOf(h.current(card))).toEqual(['✅ Confirm', '❌ Cancel']);
    await h.tg.press(h.as(agent), h.current(card), 'Confirm');
    const deal = (await dealOfLead(lead.id))!;
    expect(h.tg.lastAnswer()?.text).toBe(`💼 Lead #${lead.id} transferred to sales: deal #${deal.id}.`);
    expect(h.current(card).text).toContain('Stage: <b>TRANSFERRED</b>');
    expect(labelsOf(h.current(card))).toContain(`💼 Deal #${deal.id}`);
    expect(labelsOf(h.current(card))).not.toContain('💼 Transfer to sales');

    await h.deliver();
    const dealCard = h.fake.lastMessage(agent.telegram_id);
    expect(dealCard.text).toContain('💼 <b>A new deal is yours</b> (transferred by Ann Agent).');
    expect(dealCard.text).toContain(`<b>Deal #${deal.id}</b> · from lead #${lead.id}`);
    expect(dealCard.text).toContain('Company: Koval &amp; Sons');
    expect(dealCard.text).toContain(`Contact: ${lead.phone}`);
    expect(dealCard.text).toContain('Stage: <b>NEW</b>');
    expect(dealCard.text).toContain('Amount: not set yet');
    expect(labelsOf(dealCard)).toEqual(['➡️ KYC', '❌ Lost', '🕘 History', `📇 Lead #${lead.id}`]);

    const chat = h.fake.lastMessage(SALES_CHAT);
    expect(chat.text).toContain('💼 <b>New deal</b>');
    expect(chat.text).toContain(`<b>Deal #${deal.id}</b>`);
    expect(chat.text).toContain('Domain: Logistics');
    expect(chat.text).toContain('Owner: Ann Agent');
    expect(chat.text).not.toContain(lead.phone!);
    expect(buttonsOf(chat)).toEqual([]);
  });

  it('a refused transfer names each failed condition on the card, with its fix', async () => {
    const lead = await qualified(agent, { ai_score: 0.42, business_domain: null });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Transfer to sales');
    expect(h.tg.lastAnswer()?.text).toBe(`⛔ Lead #${lead.id} cannot be transferred to sales yet:`);
    const refused = h.current(card);
    expect(refused.text).toContain('• Score 0.42 is below 0.6.\n• Set the business domain.');
    expect(labelsOf(refused)).toEqual(['🤖 Analyze again', '✏️ Edit: business domain', '↩️ Back']);
    expect(h.tg.dataOf(refused, 'Analyze again')).toBe(`ai1:${lead.id}`);
    expect(await dealOfLead(lead.id)).toBeUndefined();

    // ✏️ goes straight to the business-domain question of the edit flow.
    await h.tg.press(h.as(agent), refused, 'Edit: business domain');
    expect(h.current(card).text).toMatch(/domain/i);
    await h.tg.send(h.as(agent), 'Retail');
    expect((await getLead(h.db, lead.id)).business_domain).toBe('Retail');
  });

  it('a lead never analysed offers 🤖 Analyze; an unqualified one cannot be transferred from a stale button', async () => {
    const lead = await qualified(agent, { ai_score: null, quality_tier: null });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Transfer to sales');
    expect(h.current(card).text).toContain('• The lead is not analysed yet: it has no AI score.');
    expect(labelsOf(h.current(card))).toEqual(['🤖 Analyze', '↩️ Back']);

    const contacted = await makeLead(h.db, { stage: 'CONTACTED', assigned_to: agent.id, ai_score: 0.9, business_domain: 'IT' });
    const other = await h.openCard(agent, contacted.id);
    await h.tg.tap(h.as(agent), other, `ta1:${contacted.id}:${contacted.version}`);
    expect(h.current(other).text).toContain('• The lead is CONTACTED: only a QUALIFIED lead can be transferred.');
  });

  it('a manager gives the deal to someone else with the picker; they get the card in their language', async () => {
    const lead = await qualified(agent);
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Transfer to sales');
    expect(h.current(card).text).toContain("The deal's owner: <b>Ann Agent</b>.");
    await h.tg.press(h.as(manager), h.current(card), 'Another owner');
    expect(h.current(card).text).toContain(`Who owns the deal of lead #${lead.id}?`);
    await h.tg.press(h.as(manager), h.current(card), 'Bob Agent');
    expect(h.current(card).text).toContain("The deal's owner: <b>Bob Agent</b>.");
    await h.tg.press(h.as(manager), h.current(card), 'Confirm');
    const deal = (await dealOfLead(lead.id))!;
    expect(deal.owner_id).toBe(bob.id);
    await h.deliver();
    expect(h.fake.lastMessage(bob.telegram_id).text).toContain('💼 <b>Нова угода — ваша</b> (передав(ла) Mia Manager).');
    expect(h.fake.lastMessage(bob.telegram_id).text).toContain('Етап: <b>НОВА</b>');
    // Ann held the lead and did not get the deal: she is told the lead moved on (the notice gathers a minute of changes).
    const notice = await h.db.selectFrom('notifications').select('kind').where('recipient_user_id', '=', agent.id)
      .where('lead_id', '=', lead.id).executeTakeFirst();
    expect(notice?.kind).toBe('lead_changed');
  });

  it('a card that changed meanwhile transfers nothing and is redrawn', async () => {
    const lead = await qualified(agent);
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Transfer to sales');
    await h.db.updateTable('leads').set({ version: lead.version + 1 }).where('id', '=', lead.id).execute();
    await h.tg.press(h.as(agent), h.current(card), 'Confirm');
    expect(h.tg.lastAnswer()?.text).toBe(`⚠️ Lead #${lead.id} has changed meanwhile — here is the current card.`);
    expect(await dealOfLead(lead.id)).toBeUndefined();
  });
});
