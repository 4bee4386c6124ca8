import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletedPageData, reassignPickData, undoData } from '../../bot/callback-data/team-actions.js';
import type { User } from '../../core/database.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { type ChatMessage, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('🗑 Delete and /deleted (§6)', () => {
  let h: BotHarness;
  let agent: User;
  let manager: User;
  let admin: User;

  beforeAll(async () => {
    h = await createBotHarness();
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
  });
  afterAll(() => h.close());

  const isDeleted = async (id: number) =>
    (await h.db.selectFrom('leads').select('is_deleted').where('id', '=', id).executeTakeFirstOrThrow()).is_deleted;
  const anywhere = (u: User) => ({ chatId: u.telegram_id, messageId: 1, text: 'x' });

  async function deleteThroughCard(leadId: number): Promise<ChatMessage> {
    const card = await h.openCard(admin, leadId);
    await h.tg.press(h.as(admin), card, 'Delete');
    await h.tg.press(h.as(admin), h.current(card), 'Confirm');
    return h.current(card);
  }

  it('shows 🗑 Delete to admins only', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    expect(labelsOf(await h.openCard(admin, lead.id))).toContain('🗑 Delete');
    expect(labelsOf(await h.openCard(manager, lead.id))).not.toContain('🗑 Delete');
    expect(labelsOf(await h.openCard(agent, lead.id))).not.toContain('🗑 Delete');
  });

  it('asks first; ❌ Cancel keeps the lead', async () => {
    const lead = await makeLead(h.db);
    const card = await h.openCard(admin, lead.id);
    await h.tg.press(h.as(admin), card, 'Delete');
    expect(h.current(card).text).toContain(`❓ Delete lead #${lead.id}? Admins can restore it.`);
    expect(labelsOf(h.current(card))).toEqual(['✅ Confirm', '❌ Cancel']);
    await h.tg.press(h.as(admin), h.current(card), 'Cancel');
    expect(h.current(card).text).toBe(card.text);
    expect(await isDeleted(lead.id)).toBe(false);
  });

  it('on ✅ deletes the lead, records it and offers Undo', async () => {
    const lead = await makeLead(h.db);
    const done = await deleteThroughCard(lead.id);
    expect(done.text).toBe(`🗑 Lead #${lead.id} deleted. Admins can restore it from /deleted.`);
    expect(labelsOf(done)).toEqual(['↩️ Undo']);
    expect(await isDeleted(lead.id)).toBe(true);
    const history = await listHistory(h.db, lead.id, { limit: 5, offset: 0 });
    expect(history.items[0]).toMatchObject({ action: 'DELETED', actor_user_id: admin.id });
  });

  it('a deleted lead disappears from /leads and /lead', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id, full_name: 'Soon Gone' });
    await h.tg.send(h.as(agent), '/leads');
    expect(labelsOf(h.fake.lastMessage(agent.telegram_id)).some((l) => l.startsWith(`#${lead.id} `))).toBe(true);
    await deleteThroughCard(lead.id);

    await h.tg.send(h.as(agent), '/leads');
    expect(labelsOf(h.fake.lastMessage(agent.telegram_id)).some((l) => l.startsWith(`#${lead.id} `))).toBe(false);
    await h.tg.send(h.as(manager), '/leads');
    expect(JSON.stringify(h.fake.lastMessage(manager.telegram_id))).not.toContain('Soon Gone');
    for (const user of [agent, manager, admin]) {
      await h.tg.send(h.as(user), `/lead ${lead.id}`);
      expect(h.lastText(user)).toBe('🔍 Not found (it may have been deleted).');
    }
  });

  it('refuses managers and agents even with forged buttons, and /deleted too', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    for (const user of [manager, agent]) {
      await h.tg.tap(h.as(user), anywhere(user), `dla1:${lead.id}:${lead.version}`);
      expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
      await h.tg.tap(h.as(user), anywhere(user), `dlc1:${lead.id}:${lead.version}`);
      expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');
      await h.tg.send(h.as(user), '/deleted');
      expect(h.lastText(user)).toBe('⛔ You are not allowed to do this.');
    }
    expect(await isDeleted(lead.id)).toBe(false);
  });

  it('a stale confirmation (the lead changed meanwhile) deletes nothing', async () => {
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    const card = await h.openCard(admin, lead.id);
    await h.tg.press(h.as(admin), card, 'Delete');
    const confirm = h.current(card);
    await h.tg.press(h.as(agent), await h.openCard(agent, lead.id), 'Contacted');
    await h.tg.press(h.as(agent), h.fake.lastMessage(agent.telegram_id), 'Confirm');
    await h.tg.press(h.as(admin), confirm, 'Confirm');
    expect(h.tg.lastAnswer()?.text).toContain(`Lead #${lead.id} has changed meanwhile`);
    expect(h.current(card).text).toContain('Stage: <b>CONTACTED</b>');
    expect(await isDeleted(lead.id)).toBe(false);
  });

  it('/deleted lists deleted leads with ♻️ Restore; restoring brings the card back', async () => {
    const lead = await makeLead(h.db, { full_name: 'Back <Again>' });
    await deleteThroughCard(lead.id);
    await h.tg.send(h.as(admin), '/deleted');
    const list = h.fake.lastMessage(admin.telegram_id);
    expect(list.text).toContain('🗑 <b>Deleted leads</b> — page 1');
    expect(list.text).toContain(`#${lead.id} · Back &lt;Again&gt; · deleted `);
    expect(list.text).toContain('by Ada Admin');
    await h.tg.press(h.as(admin), list, `Restore #${lead.id}`);
    expect(h.current(list).text).toContain(`♻️ Lead #${lead.id} restored: /lead ${lead.id}`);
    expect(h.current(list).text).not.toContain(`#${lead.id} · Back`);
    expect(await isDeleted(lead.id)).toBe(false);
    await h.tg.send(h.as(admin), `/lead ${lead.id}`);
    expect(h.lastText(admin)).toContain(`<b>Lead #${lead.id}</b>`);
    expect((await listHistory(h.db, lead.id, { limit: 5, offset: 0 })).items[0]).toMatchObject({ action: 'RESTORED' });
  });

  it('refuses to restore while a live lead has the same email, naming it', async () => {
    const lead = await makeLead(h.db, { email: 'dup-restore@example.com' });
    await deleteThroughCard(lead.id);
    const live = await makeLead(h.db, { email: 'dup-restore@example.com' });
    await h.tg.send(h.as(admin), '/deleted');
    await h.tg.press(h.as(admin), h.fake.lastMessage(admin.telegram_id), `Restore #${lead.id}`);
    expect(h.tg.lastAnswer()?.text).toBe(`⚠️ This is a duplicate of lead #${live.id}.`);
    expect(await isDeleted(lead.id)).toBe(true);
  });

  it('pages /deleted with ▶ and ⏮', async () => {
    for (let i = 0; i < 9; i++) await deleteThroughCard((await makeLead(h.db)).id);
    await h.tg.send(h.as(admin), '/deleted');
    const list = h.fake.lastMessage(admin.telegram_id);
    const restores = (m: ChatMessage) => labelsOf(m).filter((l) => l.startsWith('♻️'));
    expect(restores(list)).toHaveLength(8);
    expect(labelsOf(list).at(-1)).toBe('▶');
    const firstPage = restores(list);
    await h.tg.press(h.as(admin), list, '▶');
    const second = h.current(list);
    expect(second.text).toContain('— page 2');
    expect(restores(second).some((l) => firstPage.includes(l))).toBe(false);
    expect(labelsOf(second)).toContain('⏮ First page');
    await h.tg.press(h.as(admin), second, 'First page');
    expect(restores(h.current(list))).toEqual(firstPage);
  });

  it('keeps its buttons within 64 bytes at the largest ids', () => {
    const max = 2 ** 31 - 1;
    const cursor = Buffer.from(`${Date.UTC(2100, 0, 1)}:${max}`).toString('base64url');
    for (const data of [
      deletedPageData.pack({ page: 9999, cursor }),
      reassignPickData.pack({ leadId: max, version: max, userId: max }),
      undoData.pack({ token: 'A'.repeat(16) }),
    ]) expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(deletedPageData.unpack(deletedPageData.pack({ page: 2, cursor }))).toEqual({ page: 2, cursor });
  });
});
