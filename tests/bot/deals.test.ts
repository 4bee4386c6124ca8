import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deal, User } from '../../core/database.js';
import { type ChatMessage, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const DAY = 86_400_000;
/** Intl puts no-break spaces in amounts ("UAH 12,500.50"); compared here as plain spaces. */
const plain = (text: string | undefined) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');
const plainLabels = (m: ChatMessage) => labelsOf(m).map(plain);

describe('the deal card and /deals in Telegram (§9)', () => {
  let h: BotHarness;
  let now = new Date('2030-05-04T10:00:00Z');
  let agent: User;
  let bob: User;
  let manager: User;

  beforeAll(async () => {
    h = await createBotHarness({ DEAL_STALE_AFTER_DAYS: '3', STALE_MAX_ALERTS_PER_RUN: '100' }, { now: () => now });
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    bob = await makeUser(h.db, { name: 'Bob Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
  });
  afterAll(() => h.close());

  async function newDeal(owner: User, p: { company?: string } = {}): Promise<Deal> {
    const lead = await makeLead(h.db, {
      stage: 'QUALIFIED', assigned_to: owner.id, ai_score: 0.81, quality_tier: 'HOT', business_domain: 'Retail', company: p.company ?? 'Acme',
    });
    return (await h.core.deals.transfer(owner, { leadId: lead.id, expectedVersion: lead.version })).deal;
  }
  async function openDeal(user: User, dealId: number): Promise<ChatMessage> {
    await h.tg.send(h.as(user), `/deal ${dealId}`);
    return h.fake.lastMessage(user.telegram_id);
  }
  const stageOf = async (id: number) => (await h.db.selectFrom('deals').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage;

  it('walks NEW → KYC → AGREEMENT (the amount typed in chat) → PAID, with confirmations', async () => {
    const deal = await newDeal(agent);
    const card = await openDeal(agent, deal.id);
    expect(card.text).toContain('Stage: <b>NEW</b>');
    await h.tg.press(h.as(agent), card, 'KYC');
    expect(h.current(card).text).toContain(`❓ Move deal #${deal.id} to <b>KYC</b>?`);
    await h.tg.press(h.as(agent), h.current(card), 'Confirm');
    expect(h.tg.lastAnswer()?.text).toBe(`✅ Deal #${deal.id} moved to KYC.`);
    expect(h.current(card).text).toContain('Stage: <b>KYC</b>');
    expect(labelsOf(h.current(card))).toEqual(['➡️ Agreement', '❌ Lost', '🕘 History', expect.stringMatching(/Lead #/), '↩️ Undo']);

    await h.tg.press(h.as(agent), h.current(card), 'Agreement');
    expect(h.current(card).text).toContain(`💰 Type the amount of deal #${deal.id}`);
    expect(labelsOf(h.current(card))).toEqual(['❌ Cancel']);
    await h.tg.send(h.as(agent), 'twelve thousand');
    expect(h.lastText(agent)).toBe('⚠️ That is not an amount: type digits, e.g. 12 500 or 12 500,50 грн.\nType the amount again, or /cancel.');
    await h.tg.send(h.as(agent), '12,5055');
    expect(h.lastText(agent)).toContain('⚠️ UAH has at most 2 decimals.');
    await h.tg.send(h.as(agent), '0');
    expect(h.lastText(agent)).toContain('⚠️ The amount must be more than 0.');
    expect(await stageOf(deal.id)).toBe('KYC');
    await h.tg.send(h.as(agent), '12 500,50 грн');
    const agreed = h.fake.lastMessage(agent.telegram_id);
    expect(agreed.text).toContain(`✅ Deal #${deal.id} moved to <b>AGREEMENT</b>.`);
    expect(plain(agreed.text)).toContain('Amount: UAH 12,500.50');
    expect(h.fake.has(card.chatId, card.messageId)).toBe(false);
    const stored = await h.db.selectFrom('deals').selectAll().where('id', '=', deal.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ stage: 'AGREEMENT', amount_minor: 1_250_050, currency: 'UAH' });

    now = new Date(now.getTime() + 4 * DAY);
    await h.tg.press(h.as(agent), agreed, 'Paid');
    expect(plain(h.current(agreed).text)).toContain(`❓ Deal #${deal.id} is paid: <b>UAH 12,500.50</b>? This closes the deal.`);
    await h.tg.press(h.as(agent), h.current(agreed), 'Confirm');
    const paid = h.current(agreed);
    expect(paid.text).toContain('Stage: <b>PAID</b>');
    expect(paid.text).toContain('4 days from opening');
    expect(labelsOf(paid)).toEqual(['🕘 History', expect.stringMatching(/Lead #/), '↩️ Undo']);
    expect(await h.db.selectFrom('deals').select(['closed_at', 'duration_days']).where('id', '=', deal.id).executeTakeFirstOrThrow())
      .toEqual({ closed_at: now, duration_days: 4 });

    await h.tg.press(h.as(agent), paid, 'History');
    const history = plain(h.current(paid).text);
    expect(history).toContain(`History of deal #${deal.id}`);
    expect(history).toContain('AGREEMENT → PAID');
    expect(history).toContain('KYC → AGREEMENT · UAH 12,500.50');
  });

  it('in Ukrainian the amount reads the Ukrainian way', async () => {
    const uk = await makeUser(h.db, { name: 'Олена', language: 'uk' });
    const deal = await newDeal(uk);
    await h.core.deals.move(uk, { dealId: deal.id, to: 'KYC', expectedVersion: deal.version });
    const card = await openDeal(uk, deal.id);
    await h.tg.press(h.as(uk), card, 'Договір');
    await h.tg.send(h.as(uk), '12 500,50');
    expect(plain(h.fake.lastMessage(uk.telegram_id).text)).toContain('Сума: 12 500,50 ₴');
  });

  it('AGREEMENT cannot be skipped to: a cancelled amount question moves nothing', async () => {
    const deal = await newDeal(agent);
    await h.core.deals.move(agent, { dealId: deal.id, to: 'KYC', expectedVersion: deal.version });
    const card = await openDeal(agent, deal.id);
    await h.tg.press(h.as(agent), card, 'Agreement');
    await h.tg.press(h.as(agent), h.current(card), 'Cancel');
    expect(h.tg.lastAnswer()?.text).toBe('Cancelled.');
    expect(h.current(card).text).toContain('Stage: <b>KYC</b>');
    expect(await stageOf(deal.id)).toBe('KYC');
  });

  it('❌ Lost asks why (at most 512 characters), and ↩️ Undo puts the deal back', async () => {
    const deal = await newDeal(agent);
    const card = await openDeal(agent, deal.id);
    await h.tg.press(h.as(agent), card, 'Lost');
    expect(h.current(card).text).toContain(`✍️ Type why deal #${deal.id} is lost (up to 512 characters), or /cancel.`);
    await h.tg.send(h.as(agent), 'x'.repeat(513));
    expect(h.lastText(agent)).toBe('Too long: at most 512 characters, or /cancel.');
    await h.tg.send(h.as(agent), 'Chose a competitor');
    const lost = h.fake.lastMessage(agent.telegram_id);
    expect(lost.text).toContain('Stage: <b>LOST</b>');
    expect(lost.text).toContain('Lost reason: Chose a competitor');
    await h.tg.press(h.as(agent), lost, 'Undo');
    expect(h.tg.lastAnswer()?.text).toBe(`↩️ Undone: deal #${deal.id} is back in NEW.`);
    expect(h.current(lost).text).toContain('Stage: <b>NEW</b>');
    expect(labelsOf(h.current(lost))).not.toContain('↩️ Undo');
    await h.tg.press(h.as(agent), lost, 'Undo');
    expect(h.tg.lastAnswer()?.text).toBe('⌛ Undo is no longer available.');
  });

  it('a card changed meanwhile moves nothing: a toast and the card as it is now', async () => {
    const deal = await newDeal(agent);
    const mine = await openDeal(agent, deal.id);
    const theirs = await openDeal(manager, deal.id);
    await h.tg.press(h.as(manager), theirs, 'KYC');
    await h.tg.press(h.as(manager), h.current(theirs), 'Confirm');
    await h.tg.press(h.as(agent), mine, 'Lost');
    expect(h.tg.lastAnswer()?.text).toBe(`⚠️ Deal #${deal.id} has changed meanwhile — here is the current card.`);
    expect(h.current(mine).text).toContain('Stage: <b>KYC</b>');
    // A stale confirmation too.
    await h.tg.tap(h.as(agent), h.current(mine), `dk1:KYC:${deal.id}:${deal.version}`);
    expect(h.tg.lastAnswer()?.text).toContain('has changed meanwhile');
    expect(await stageOf(deal.id)).toBe('KYC');
  });

  it('the owner is told when a manager moves their deal', async () => {
    const deal = await newDeal(agent);
    await h.deliver();
    const theirs = await openDeal(manager, deal.id);
    await h.tg.press(h.as(manager), theirs, 'KYC');
    await h.tg.press(h.as(manager), h.current(theirs), 'Confirm');
    await h.deliver();
    const notice = h.fake.lastMessage(agent.telegram_id);
    expect(notice.text).toContain(`✏️ <b>Mia Manager</b> moved your deal #${deal.id}: NEW → <b>KYC</b>.`);
    expect(labelsOf(notice)).toContain('➡️ Agreement');
  });

  it('another agent cannot open or move the deal', async () => {
    const deal = await newDeal(agent);
    await h.tg.send(h.as(bob), `/deal ${deal.id}`);
    expect(h.lastText(bob)).toBe('⛔ You are not allowed to do this.');
    const card = await openDeal(agent, deal.id);
    await h.tg.tap(h.as(bob), card, `da1:KYC:${deal.id}:${deal.version}`);
    expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
    expect(await stageOf(deal.id)).toBe('NEW');
  });

  it('/deals: my open deals in pages with the totals per stage; managers see everyone\'s; a stage filter', async () => {
    const seller = await makeUser(h.db, { name: 'Sam Seller' });
    const deals: Deal[] = [];
    for (let i = 0; i < 10; i++) deals.push(await newDeal(seller, { company: `Firm ${i}` }));
    const kyc = (await h.core.deals.move(seller, { dealId: deals[0]!.id, to: 'KYC', expectedVersion: deals[0]!.version })).deal;
    await h.core.deals.move(seller, { dealId: kyc.id, to: 'AGREEMENT', expectedVersion: kyc.version, amount: { minor: 1_000_000, currency: 'UAH' } });
    const other = (await h.core.deals.move(seller, { dealId: deals[1]!.id, to: 'KYC', expectedVersion: deals[1]!.version })).deal;
    await h.core.deals.move(seller, { dealId: other.id, to: 'AGREEMENT', expectedVersion: other.version, amount: { minor: 250_050, currency: 'UAH' } });

    await h.tg.send(h.as(seller), '/deals');
    const list = h.fake.lastMessage(seller.telegram_id);
    expect(list.text).toContain('💼 <b>Deals</b> · open · page 1');
    expect(list.text).toContain('NEW: 8 deals');
    expect(plain(list.text)).toContain('AGREEMENT: 2 deals · UAH 12,500.50');
    const rows = labelsOf(list).filter((l) => l.startsWith('#'));
    expect(rows).toHaveLength(8);
    expect(rows[0]).toBe(`#${deals[9]!.id} · NEW · Firm 9`);
    await h.tg.press(h.as(seller), list, '▶');
    const rows2 = plainLabels(h.current(list)).filter((l) => l.startsWith('#'));
    expect(rows2).toEqual([`#${deals[1]!.id} · AGREEMENT · Firm 1 · UAH 2,500.50`, `#${deals[0]!.id} · AGREEMENT · Firm 0 · UAH 10,000.00`]);
    await h.tg.press(h.as(seller), h.current(list), '◀');
    expect(labelsOf(h.current(list)).filter((l) => l.startsWith('#'))).toEqual(rows);
    await h.tg.press(h.as(seller), h.current(list), 'AGREEMENT');
    expect(h.current(list).text).toContain('· AGREEMENT · page 1');
    expect(labelsOf(h.current(list)).filter((l) => l.startsWith('#'))).toHaveLength(2);
    await h.tg.press(h.as(seller), h.current(list), `#${deals[0]!.id}`);
    expect(h.fake.lastMessage(seller.telegram_id).text).toContain(`<b>Deal #${deals[0]!.id}</b>`);

    await h.tg.send(h.as(manager), '/deals');
    const all = h.fake.lastMessage(manager.telegram_id);
    expect(all.text).toContain('💼 <b>All deals</b> · open');
    expect(labelsOf(all).some((l) => l.includes('Sam Seller'))).toBe(true);
  });

  it('a deal without activity alerts its owner in the stale job, with its card', async () => {
    const deal = await newDeal(bob);
    await h.deliver();
    now = new Date(now.getTime() + 3 * DAY + 60_000);
    const results = await h.core.deals.raiseStaleAlerts();
    expect(results.find((r) => r.dealId === deal.id)).toMatchObject({ status: 'alerted', days: 3 });
    await h.deliver();
    const alert = h.fake.lastMessage(bob.telegram_id);
    expect(alert.text).toContain(`⚠️ Deal #${deal.id} has had no activity for 3 days.`);
    expect(labelsOf(alert)).toContain('➡️ KYC');
  });
});
