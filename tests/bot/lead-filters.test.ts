import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, User } from '../../core/database.js';
import { leadFilterAssigneesData, leadFilterToggleData } from '../../bot/callback-data/lead-filters.js';
import { buttonsOf, type ChatMessage, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('/leads filters (§2, §6)', () => {
  let h: BotHarness;
  let agent: User;
  let otherAgent: User;
  let manager: User;
  const hot: Lead[] = [];
  let lost: Lead;
  let othersHot: Lead;
  let free: Lead;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    otherAgent = await makeUser(h.db, { name: 'Oleg Other' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    for (let i = 0; i < 10; i++) {
      hot.push(await makeLead(h.db, { assigned_to: agent.id, full_name: `Hot ${i}`, quality_tier: 'HOT', ai_score: 0.9 }));
    }
    await makeLead(h.db, { assigned_to: agent.id, full_name: 'Cold referral', source: 'REFERRAL', quality_tier: 'COLD', ai_score: 0.4 });
    lost = await makeLead(h.db, { assigned_to: agent.id, full_name: 'Lost hot', stage: 'LOST', lost_reason: 'Spam', quality_tier: 'HOT', ai_score: 0.9 });
    othersHot = await makeLead(h.db, { assigned_to: otherAgent.id, full_name: 'Other hot', quality_tier: 'HOT', ai_score: 0.9 });
    free = await makeLead(h.db, { assigned_to: null, full_name: 'Free warm', quality_tier: 'WARM', ai_score: 0.7 });
  });
  afterAll(() => h.close());

  const labels = (m: ChatMessage) => labelsOf(h.current(m));
  const leadLabels = (m: ChatMessage) => labels(m).filter((l) => l.startsWith('#'));
  const keyOf = (m: ChatMessage) => h.tg.dataOf(h.current(m), 'Show').split(':')[1]!;

  /** /leads, then 🔎 Filters: the message, now showing the panel. */
  async function openPanel(user: User): Promise<ChatMessage> {
    await h.tg.send(h.as(user), '/leads');
    const list = h.fake.lastMessage(user.telegram_id);
    await h.tg.press(h.as(user), list, 'Filters');
    return list;
  }
  const press = (user: User, m: ChatMessage, label: string) => h.tg.press(h.as(user), h.current(m), label);

  it('shows the panel in place of the list, with a toggle for every stage, tier and source', async () => {
    const panel = await openPanel(manager);
    expect(h.current(panel).text).toContain('🔎 Stage: open · Quality: any · Source: any · Assignee: any');
    expect(labels(panel)).toEqual([
      'NEW', 'CONTACTED', 'QUALIFIED', 'TRANSFERRED', 'LOST', '🔥 HOT', '☀️ WARM', '❄️ COLD', '⚫ DEAD',
      'Website', 'Referral', 'Social media', 'Added by hand', 'Card scanner', 'Partner', 'Registration', 'Callback request',
      'Lead magnet', 'Message to the bot',
      '👤 Assignee…', '♻️ Reset', '📋 Show',
    ]);
    for (const b of buttonsOf(h.current(panel))) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  });

  it('lists only the leads that match the switched-on values, on keyset pages that keep the filters', async () => {
    const panel = await openPanel(manager);
    await press(manager, panel, 'HOT');
    expect(labels(panel)).toContain('✅ 🔥 HOT');
    expect(h.current(panel).text).toContain('Quality: 🔥 HOT');
    await press(manager, panel, 'Show');
    expect(h.current(panel).text.startsWith('📋 <b>Leads</b> — page 1\n🔎 Stage: open · Quality: 🔥 HOT · Source: any\n\n')).toBe(true);
    const expected = [othersHot, ...hot].sort((a, b) => b.id - a.id).map((l) => `#${l.id}`);
    expect(leadLabels(panel).map((l) => l.split(' ')[0])).toEqual(expected.slice(0, 8));
    await press(manager, panel, '▶');
    expect(h.current(panel).text).toContain('page 2\n🔎 Stage: open · Quality: 🔥 HOT');
    expect(leadLabels(panel).map((l) => l.split(' ')[0])).toEqual(expected.slice(8));
  });

  it('includes terminal stages when switched on, and says when nothing matches', async () => {
    const panel = await openPanel(agent);
    await press(agent, panel, 'LOST');
    await press(agent, panel, 'Show');
    expect(leadLabels(panel)).toEqual([`#${lost.id} · Lost hot · LOST`]);
    await press(agent, panel, 'Filters');
    await press(agent, panel, 'DEAD');
    await press(agent, panel, 'Show');
    expect(h.current(panel).text).toBe('No leads match these filters.\n🔎 Stage: LOST · Quality: ⚫ DEAD · Source: any');
  });

  it('switches a value off again, and a double tap on one toggle switches it once', async () => {
    const panel = await openPanel(manager);
    const before = h.current(panel);
    const toggleData = h.tg.dataOf(before, 'Referral');
    await h.tg.tap(h.as(manager), before, toggleData);
    await h.tg.tap(h.as(manager), before, toggleData);
    expect(labels(panel)).toContain('✅ Referral');
    expect(labels(panel)).not.toContain('Referral');
    await press(manager, panel, '✅ Referral');
    expect(labels(panel)).toContain('Referral');
    await press(manager, panel, 'Social media');
    await press(manager, panel, 'Reset');
    expect(h.current(panel).text).toContain('Stage: open · Quality: any · Source: any');
  });

  it('lets a manager filter by assignee, including unassigned', async () => {
    const panel = await openPanel(manager);
    await press(manager, panel, 'Assignee…');
    expect(labels(panel)).toEqual(expect.arrayContaining(['unassigned', 'Ann Agent', 'Oleg Other', 'Mia Manager', '↩️ Back']));
    await press(manager, panel, 'unassigned');
    expect(labels(panel)).toContain('✅ unassigned');
    await press(manager, panel, 'Oleg Other');
    await press(manager, panel, 'Back');
    expect(h.current(panel).text).toContain('Assignee: unassigned, Oleg Other');
    await press(manager, panel, 'Show');
    expect(leadLabels(panel)).toEqual([`#${free.id} · Free warm · NEW`, `#${othersHot.id} · Other hot · NEW`]);
    expect(h.current(panel).text).toContain('Assignee: unassigned, Oleg Other');
  });

  it('gives agents no assignee filter, and refuses a forged one', async () => {
    const panel = await openPanel(agent);
    expect(labels(panel)).not.toContain('👤 Assignee…');
    const key = keyOf(panel);
    const before = h.current(panel).text;
    await h.tg.tap(h.as(agent), h.current(panel), leadFilterToggleData.pack({ key, toggle: { dim: 'assignee', value: otherAgent.id } }));
    expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
    await h.tg.tap(h.as(agent), h.current(panel), leadFilterAssigneesData.pack({ key }));
    expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
    expect(h.current(panel).text).toBe(before);
  });

  it('never shows an agent leads of others under any filter', async () => {
    const panel = await openPanel(agent);
    await press(agent, panel, 'HOT');
    await press(agent, panel, 'Show');
    const seen = leadLabels(panel).join(' ');
    expect(seen).not.toContain('Other hot');
    expect(leadLabels(panel)).toHaveLength(8);
  });

  it('calls forged values outdated and expired keys expired', async () => {
    const panel = await openPanel(manager);
    await h.tg.tap(h.as(manager), h.current(panel), `lft1:${keyOf(panel)}:s.WON`);
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ This button is outdated.' });
    await h.tg.tap(h.as(manager), h.current(panel), 'lfp1:AAAAAAAA');
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ This list has expired. Send /leads again.', show_alert: true });
  });

  it('remembers the filter last shown: /leads offers it again as one tap, and the panel starts clean', async () => {
    const panel = await openPanel(manager);
    await press(manager, panel, 'WARM');
    await press(manager, panel, 'Assignee…');
    await press(manager, panel, 'unassigned');
    await press(manager, panel, 'Back');
    await press(manager, panel, 'Show');
    // /leads itself is the plain list of open leads again, with the last filter one tap away…
    await h.tg.send(h.as(manager), '/leads');
    const list = h.fake.lastMessage(manager.telegram_id);
    expect(list.text.startsWith('📋 <b>Open leads</b> — page 1')).toBe(true);
    expect(labels(list)).toContain('🔁 ☀️ WARM, unassigned');
    await press(manager, list, '🔁');
    expect(leadLabels(list)).toEqual([`#${free.id} · Free warm · NEW`]);
    // …and a new filter costs no extra tap: the panel of a plain list starts with nothing switched on.
    await h.tg.send(h.as(manager), '/leads');
    await h.tg.press(h.as(manager), h.fake.lastMessage(manager.telegram_id), 'Filters');
    expect(labels(h.fake.lastMessage(manager.telegram_id)).filter((l) => l.startsWith('✅'))).toEqual([]);
    // Each person's own: someone who never filtered has no such button.
    const newcomer = await makeUser(h.db, { role: 'manager', name: 'Nell New' });
    await h.tg.send(h.as(newcomer), '/leads');
    expect(labels(h.fake.lastMessage(newcomer.telegram_id)).some((l) => l.startsWith('🔁'))).toBe(false);
  });

  it('shows each lead with its assignee and age, and opens its card in place with 📋 back to the same page', async () => {
    await h.tg.send(h.as(manager), '/leads');
    const list = h.fake.lastMessage(manager.telegram_id);
    expect(list.text).toContain(`<b>#${free.id}</b> Free warm · NEW · 👤 unassigned · just now`);
    expect(list.text).toContain(`<b>#${othersHot.id}</b> Other hot · NEW · 👤 Oleg Other · just now`);
    await h.tg.press(h.as(manager), h.current(list), '▶');
    const page2 = h.current(list).text;
    const sent = h.fake.callsTo('sendMessage').length;
    await h.tg.press(h.as(manager), h.current(list), `#${hot[0]!.id} ·`);
    expect(h.current(list).text).toContain(`<b>Lead #${hot[0]!.id}</b>`);
    expect(labels(list).at(-1)).toBe('📋 Back to the list');
    // The back button stays through the card's own screens (here: the history and back).
    await press(manager, list, 'History');
    await press(manager, list, 'Card');
    expect(labels(list).at(-1)).toBe('📋 Back to the list');
    await press(manager, list, 'Back to the list');
    expect(h.current(list).text).toBe(page2);
    expect(labels(list)).not.toContain('📋 Back to the list');
    expect(h.fake.callsTo('sendMessage')).toHaveLength(sent);
  });
});
