import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { type ChatMessage, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('↩️ Undo after Lost, Reassign or Delete (§3–§6)', () => {
  let h: BotHarness;
  let agent: User;
  let bob: User;
  let manager: User;
  let otherManager: User;
  let admin: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    bob = await makeUser(h.db, { name: 'Bob Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    otherManager = await makeUser(h.db, { role: 'manager', name: 'Max Manager' });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
  });
  afterAll(() => h.close());

  const undoneRows = async (leadId: number) =>
    (await listHistory(h.db, leadId, { limit: 20, offset: 0 })).items.filter((i) => i.action === 'UNDONE');

  async function loseWithPreset(user: User, leadId: number): Promise<ChatMessage> {
    const card = await h.openCard(user, leadId);
    await h.tg.press(h.as(user), card, 'Lost');
    await h.tg.press(h.as(user), h.current(card), 'No budget');
    return h.current(card);
  }

  it('undoes a preset Lost: the stage and reason come back and the card says so', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED' });
    const lost = await loseWithPreset(agent, lead.id);
    expect(h.tg.lastAnswer()?.text).toBe(`✅ Lead #${lead.id} moved to LOST.`);
    expect(lost.text).toContain('Stage: <b>LOST</b>');
    expect(labelsOf(lost).at(-1)).toBe('↩️ Undo');
    expect(labelsOf(lost)).not.toContain('❌ Lost');

    await h.tg.press(h.as(agent), lost, 'Undo');
    const back = h.current(lost);
    expect(h.tg.lastAnswer()?.text).toBe(`↩️ Undone: lead #${lead.id} is back in CONTACTED.`);
    expect(back.text).toContain('Stage: <b>CONTACTED</b>');
    expect(back.text).not.toContain('Lost reason');
    expect(labelsOf(back)).not.toContain('↩️ Undo');
    expect(labelsOf(back)).toContain('❌ Lost');
    expect(await getLead(h.db, lead.id)).toMatchObject({ stage: 'CONTACTED', lost_reason: null, lost_reason_code: null });
    expect(await undoneRows(lead.id)).toHaveLength(1);
  });

  it('undoes a Lost with a typed reason from the fresh card under the reply', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(agent, lead.id);
    await h.tg.press(h.as(agent), card, 'Lost');
    await h.tg.press(h.as(agent), h.current(card), 'Other');
    await h.tg.send(h.as(agent), 'Moved abroad');
    const fresh = h.fake.lastMessage(agent.telegram_id);
    expect(fresh.text).toContain(`Lead #${lead.id} moved to <b>LOST</b>`);
    expect(labelsOf(fresh).at(-1)).toBe('↩️ Undo');
    await h.tg.press(h.as(agent), fresh, 'Undo');
    expect(h.tg.lastAnswer()?.text).toBe(`↩️ Undone: lead #${lead.id} is back in NEW.`);
    expect(h.current(fresh).text).toContain('Stage: <b>NEW</b>');
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
  });

  it('undoes a reassignment: the lead is back with its previous assignee', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Reassign');
    await h.tg.press(h.as(manager), h.current(card), 'Bob Agent');
    expect((await getLead(h.db, lead.id)).assigned_to).toBe(bob.id);
    await h.tg.press(h.as(manager), h.current(card), 'Undo');
    expect(h.tg.lastAnswer()?.text).toBe(`↩️ Undone: lead #${lead.id} is back with Ann Agent.`);
    expect(h.current(card).text).toContain('Assignee: Ann Agent');
    expect((await getLead(h.db, lead.id)).assigned_to).toBe(agent.id);
  });

  it('undoes a delete: the card is back', async () => {
    const lead = await makeLead(h.db, { full_name: 'Nearly Gone' });
    const card = await h.openCard(admin, lead.id);
    await h.tg.press(h.as(admin), card, 'Delete');
    await h.tg.press(h.as(admin), h.current(card), 'Confirm');
    await h.tg.press(h.as(admin), h.current(card), 'Undo');
    expect(h.tg.lastAnswer()?.text).toBe(`↩️ Undone: lead #${lead.id} is back.`);
    expect(h.current(card).text).toContain('Nearly Gone');
    expect((await getLead(h.db, lead.id)).is_deleted).toBe(false);
  });

  it('refuses the undo of someone else (a forged tap), but lets an admin undo it', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const lost = await loseWithPreset(agent, lead.id);
    const data = h.tg.dataOf(lost, 'Undo');
    const elsewhere = { chatId: otherManager.telegram_id, messageId: 1, text: 'x' };
    await h.tg.tap(h.as(otherManager), elsewhere, data);
    expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
    expect((await getLead(h.db, lead.id)).stage).toBe('LOST');

    await h.tg.tap(h.as(admin), { chatId: admin.telegram_id, messageId: 1, text: 'x' }, data);
    expect((await getLead(h.db, lead.id)).stage).toBe('NEW');
  });

  it('after 30 seconds (the record gone from the store) says Undo is no longer available and drops the button', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const lost = await loseWithPreset(agent, lead.id);
    const token = h.tg.dataOf(lost, 'Undo').split(':')[1]!;
    await h.store.delete(`undo:${token}`);
    await h.tg.press(h.as(agent), lost, 'Undo');
    expect(h.tg.lastAnswer()?.text).toBe('⌛ Undo is no longer available.');
    expect(labelsOf(h.current(lost))).toEqual(labelsOf(lost).filter((l) => l !== '↩️ Undo'));
    expect((await getLead(h.db, lead.id)).stage).toBe('LOST');
  });

  it('a second tap on Undo is refused the same way: the undo is spent', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const lost = await loseWithPreset(agent, lead.id);
    const data = h.tg.dataOf(lost, 'Undo');
    await h.tg.tap(h.as(agent), lost, data);
    await h.tg.tap(h.as(agent), h.current(lost), data);
    expect(h.tg.lastAnswer()?.text).toBe('⌛ Undo is no longer available.');
    expect(await undoneRows(lead.id)).toHaveLength(1);
  });

  it('after another change, shows the lead as it is now instead of undoing', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(manager, lead.id);
    await h.tg.press(h.as(manager), card, 'Reassign');
    await h.tg.press(h.as(manager), h.current(card), 'Bob Agent');
    const theirs = await h.openCard(otherManager, lead.id);
    await h.tg.press(h.as(otherManager), theirs, 'Reassign');
    await h.tg.press(h.as(otherManager), h.current(theirs), 'Mia Manager');

    await h.tg.press(h.as(manager), h.current(card), 'Undo');
    expect(h.tg.lastAnswer()?.text).toContain(`Lead #${lead.id} has changed meanwhile`);
    expect(h.current(card).text).toContain('Assignee: Mia Manager');
    expect((await getLead(h.db, lead.id)).assigned_to).toBe(manager.id);
    expect(await undoneRows(lead.id)).toHaveLength(0);
  });

  it('answers "outdated button" to a malformed undo token', async () => {
    for (const data of ['und1:', 'und1:bad token', 'und1:a:b', `und1:${'x'.repeat(33)}`]) {
      await h.tg.tap(h.as(agent), { chatId: agent.telegram_id, messageId: 1, text: 'x' }, data);
      expect(h.tg.lastAnswer()?.text).toBe('⌛ This button is outdated.');
    }
  });
});
