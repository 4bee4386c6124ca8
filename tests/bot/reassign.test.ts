import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOutboxMessage } from '../../bot/outbox/render.js';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('👤 Reassign on the card (§4)', () => {
  let h: BotHarness;
  let ann: User;
  let bob: User;
  let olena: User;
  let manager: User;
  let other: User;

  beforeAll(async () => {
    h = await createBotHarness();
    ann = await makeUser(h.db, { name: 'Ann Agent', capacity: 10 });
    bob = await makeUser(h.db, { name: 'Bob Agent', capacity: 10 });
    olena = await makeUser(h.db, { name: 'Olena', capacity: 2 });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager', capacity: 5 });
    other = await makeUser(h.db, { role: 'manager', name: 'Max Manager', capacity: 5 });
    await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
    await makeUser(h.db, { status: 'inactive', name: 'Ivan Inactive' });
    await makeUser(h.db, { status: 'pending', name: 'Pat Pending' });
    await makeLead(h.db, { assigned_to: olena.id });
    await makeLead(h.db, { assigned_to: olena.id, stage: 'CONTACTED' });
  });
  afterAll(() => h.close());

  const anywhere = (u: User) => ({ chatId: u.telegram_id, messageId: 1, text: 'x' });

  it('shows 👤 Reassign to managers on open leads, not to agents or on closed leads', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    expect(labelsOf(await h.openCard(manager, lead.id))).toContain('👤 Reassign');
    expect(labelsOf(await h.openCard(ann, lead.id))).not.toContain('👤 Reassign');
    const lost = await makeLead(h.db, { assigned_to: ann.id, stage: 'LOST', lost_reason: 'Spam' });
    expect(labelsOf(await h.openCard(manager, lost.id))).not.toContain('👤 Reassign');
  });

  it('lists active agents and managers with load/capacity, without the current assignee', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Reassign');
    const menu = h.current(card);
    expect(menu.text).toContain(`Who should take lead #${lead.id}? Now: Ann Agent.`);
    expect(labelsOf(menu)).toEqual([
      '🟢 Bob Agent · 0/10', '🟢 Max Manager · 0/5', '🟢 Mia Manager · 0/5', '🔴 Olena · 2/2', '↩️ Back',
    ]);
    await h.tg.press(h.as(manager), menu, 'Back');
    expect(labelsOf(h.current(card))).toContain('👤 Reassign');
  });

  it('when a manager picks someone, the lead moves, history records it and the card offers Undo', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Reassign');
    await h.tg.press(h.as(manager), h.current(card), 'Bob Agent');

    expect(await getLead(h.db, lead.id)).toMatchObject({ assigned_to: bob.id, version: lead.version + 1 });
    const edited = h.current(card);
    expect(h.tg.lastAnswer()?.text).toBe(`👤 Lead #${lead.id} reassigned to Bob Agent.`);
    expect(edited.text).toContain('Assignee: Bob Agent');
    expect(labelsOf(edited).at(-1)).toBe('↩️ Undo');
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.items[0]).toMatchObject({
      action: 'ASSIGNED', actor_user_id: manager.id, details: { from_user_id: ann.id, to_user_id: bob.id, by: 'manual' },
    });
  });

  it('sends the new assignee the card and the previous one a short notice', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id, full_name: 'Secret Name' });
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Reassign');
    await h.tg.press(h.as(manager), h.current(card), 'Bob Agent');
    const queued = await h.db.selectFrom('notifications').selectAll().where('lead_id', '=', lead.id).orderBy('id').execute();
    expect(queued.map((n) => [n.kind, n.recipient_user_id])).toEqual([['lead_card', bob.id], ['lead_reassigned_away', ann.id]]);

    const render = (i: number, to: User) => renderOutboxMessage(h.core, h.core.outbox.messageOf(queued[i]!)!, to);
    const toBob = await render(0, bob);
    expect(toBob.text).toContain('👤 <b>Lead reassigned to you</b> by Mia Manager');
    expect(toBob.text).toContain('Secret Name');
    const toAnn = await render(1, ann);
    expect(toAnn.text).toBe(`👤 Lead #${lead.id} was reassigned to Bob Agent by Mia Manager; it is off your list.`);
  });

  it('refuses a full person with the reason and leaves the lead as it was', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Reassign');
    await h.tg.press(h.as(manager), h.current(card), 'Olena');
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⛔ Olena is full: 2/2.', show_alert: true });
    // The menu stays, so someone else can be picked.
    expect(labelsOf(h.current(card)).some((l) => l.startsWith('🟢 Bob Agent'))).toBe(true);
    expect(await getLead(h.db, lead.id)).toMatchObject({ assigned_to: ann.id, version: lead.version });
  });

  it('refuses an inactive person picked through forged data', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const inactive = await makeUser(h.db, { status: 'inactive', name: 'Gone <Girl>' });
    await h.tg.tap(h.as(manager), anywhere(manager), `rap1:${lead.id}:${lead.version}:${inactive.id}`);
    expect(h.tg.lastAnswer()?.text).toBe('⛔ Gone <Girl> cannot take leads: not an active agent or manager.');
    expect((await getLead(h.db, lead.id)).assigned_to).toBe(ann.id);
  });

  it('refuses an agent, even with forged buttons, and shows them no names', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const before = h.fake.calls.length;
    await h.tg.tap(h.as(ann), anywhere(ann), `rao1:${lead.id}:${lead.version}:0`);
    await h.tg.tap(h.as(ann), anywhere(ann), `rap1:${lead.id}:${lead.version}:${bob.id}`);
    const calls = h.fake.calls.slice(before);
    for (const c of calls) expect(JSON.stringify(c.payload)).not.toContain('Bob Agent');
    expect(calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => c.payload?.text))
      .toEqual(Array(2).fill('⛔ You are not allowed to do this.'));
    expect(await getLead(h.db, lead.id)).toMatchObject({ assigned_to: ann.id, version: lead.version });
  });

  it('refuses forged data for another lead: a stale version shows that lead as it is now', async () => {
    const mine = await makeLead(h.db, { assigned_to: ann.id });
    const theirs = await makeLead(h.db, { assigned_to: ann.id });
    const card = await h.openCard(manager, mine.id);
    await h.tg.press(h.as(manager), card, 'Reassign');
    const data = h.tg.dataOf(h.current(card), 'Bob Agent').replace(`rap1:${mine.id}:`, `rap1:${theirs.id}:`);
    await h.tg.tap(h.as(manager), h.current(card), data.replace(/:(\d+):(\d+)$/, ':999:$2'));
    expect(h.tg.lastAnswer()?.text).toContain(`Lead #${theirs.id} has changed meanwhile`);
    expect(h.current(card).text).toContain(`<b>Lead #${theirs.id}</b>`);
    expect((await getLead(h.db, theirs.id)).assigned_to).toBe(ann.id);
    expect((await getLead(h.db, mine.id)).assigned_to).toBe(ann.id);
  });

  it('when two managers reassign the same card at once, one wins and the other sees the current card', async () => {
    const lead = await makeLead(h.db, { assigned_to: ann.id });
    const mCard = await h.openCard(manager, lead.id);
    const oCard = await h.openCard(other, lead.id);
    await h.tg.press(h.as(manager), mCard, 'Reassign');
    await h.tg.press(h.as(other), oCard, 'Reassign');
    const replica = h.anotherInstance();
    const before = h.fake.calls.length;
    await Promise.all([
      h.tg.press(h.as(manager), h.current(mCard), 'Bob Agent'),
      replica.press(h.as(other), h.current(oCard), 'Mia Manager'),
    ]);
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.items.filter((i) => i.action === 'ASSIGNED')).toHaveLength(1);
    const winner = (await getLead(h.db, lead.id)).assigned_to;
    expect([bob.id, manager.id]).toContain(winner);
    const texts = h.fake.calls.slice(before).filter((c) => c.method === 'answerCallbackQuery').map((c) => String(c.payload?.text));
    expect(texts.filter((t) => t.includes('has changed meanwhile'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('reassigned to'))).toHaveLength(1);
    // Both cards show the winner.
    for (const card of [mCard, oCard]) expect(h.current(card).text).toMatch(/Assignee: (Bob Agent|Mia Manager)/);
  });
});
