import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setSelection } from '../../bot/bulk-state.js';
import type { Lead, User } from '../../core/database.js';
import { type ChatMessage, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

describe('/bulk (§6)', () => {
  let h: BotHarness;
  let admin: User;
  let manager: User;
  let agent: User;

  beforeAll(async () => {
    h = await createBotHarness();
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    agent = await makeUser(h.db, { name: 'Ann Agent', capacity: 1 });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await setSelection(h.store, manager.id, []);
    await setSelection(h.store, admin.id, []);
  });

  const leadRow = (id: number) => h.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function openBulk(user: User): Promise<ChatMessage> {
    await h.tg.send(h.as(user), '/bulk');
    return h.fake.lastMessage(user.telegram_id);
  }
  async function select(user: User, list: ChatMessage, leads: Lead[]): Promise<void> {
    for (const lead of leads) await h.tg.press(h.as(user), h.current(list), `#${lead.id} ·`);
  }

  it('shows open leads with ☐ toggles; ☑ marks the selection and brings the actions', async () => {
    const a = await makeLead(h.db, { full_name: 'Alpha' });
    const b = await makeLead(h.db, { full_name: 'Bravo', stage: 'CONTACTED' });
    const list = await openBulk(manager);
    expect(list.text).toContain('🧰 <b>Bulk actions</b> — page 1\nSelected: <b>0</b> (up to 100).');
    expect(labelsOf(list)).toEqual(expect.arrayContaining([`☐ #${b.id} · Bravo · CONTACTED`, `☐ #${a.id} · Alpha · NEW`]));
    expect(labelsOf(list)).not.toContain('➡️ Stage…');

    await select(manager, list, [a, b]);
    expect(h.current(list).text).toContain('Selected: <b>2</b>');
    expect(labelsOf(h.current(list))).toEqual(expect.arrayContaining([`☑ #${a.id} · Alpha · NEW`, '➡️ Stage…', '👤 Assign…', '✖️ Clear selection']));
    // Managers do not delete.
    expect(labelsOf(h.current(list))).not.toContain('🗑 Delete…');

    await h.tg.press(h.as(manager), h.current(list), `#${a.id} ·`);
    expect(labelsOf(h.current(list))).toContain(`☐ #${a.id} · Alpha · NEW`);
    await h.tg.press(h.as(manager), h.current(list), 'Clear');
    expect(h.current(list).text).toContain('Selected: <b>0</b>');
  });

  it('a stage change applies lead by lead and reports the failures per lead; failed leads stay selected', async () => {
    const fresh = await makeLead(h.db, { full_name: 'Fresh' });
    const ahead = await makeLead(h.db, { full_name: 'Ahead', stage: 'CONTACTED' });
    const list = await openBulk(manager);
    await select(manager, list, [fresh, ahead]);
    await h.tg.press(h.as(manager), h.current(list), 'Stage');
    expect(h.current(list).text).toBe('➡️ Move the 2 selected leads to:');
    expect(labelsOf(h.current(list))).toEqual(['📞 Contacted', '➡️ Qualified', '❌ Lost', '↩️ Back']);

    await h.tg.press(h.as(manager), h.current(list), 'Contacted');
    expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toBe(
      `✅ 1 done, ❌ 1 failed (still selected):\n#${ahead.id} ℹ️ The lead is already CONTACTED.`);
    expect((await leadRow(fresh.id)).stage).toBe('CONTACTED');
    expect(h.current(list).text).toContain('Selected: <b>1</b>');
    expect(labelsOf(h.current(list))).toEqual(expect.arrayContaining([`☐ #${fresh.id} · Fresh · CONTACTED`, `☑ #${ahead.id} · Ahead · CONTACTED`]));
  });

  it('Lost takes a preset reason for every selected lead', async () => {
    const a = await makeLead(h.db);
    const b = await makeLead(h.db, { stage: 'QUALIFIED' });
    const list = await openBulk(manager);
    await select(manager, list, [a, b]);
    await h.tg.press(h.as(manager), h.current(list), 'Stage');
    await h.tg.press(h.as(manager), h.current(list), 'Lost');
    expect(h.current(list).text).toBe('❌ Why are the 2 selected leads lost?');
    await h.tg.press(h.as(manager), h.current(list), 'No budget');
    expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toBe('✅ 2 done.');
    expect(await leadRow(b.id)).toMatchObject({ stage: 'LOST', lost_reason: null, lost_reason_code: 'no_budget' });
  });

  it('assigning checks capacity per lead and tells the new owner', async () => {
    const x = await makeLead(h.db, { full_name: 'X-ray' });
    const y = await makeLead(h.db, { full_name: 'Yankee' });
    const list = await openBulk(manager);
    await select(manager, list, [x, y]);
    await h.tg.press(h.as(manager), h.current(list), 'Assign');
    expect(h.current(list).text).toContain('👤 Assign the 2 selected leads to');
    await h.tg.press(h.as(manager), h.current(list), 'Ann Agent');
    expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toBe(
      `✅ 1 done, ❌ 1 failed (still selected):\n#${y.id} ⛔ Ann Agent is full: 1/1.`);
    expect((await leadRow(x.id)).assigned_to).toBe(agent.id);
    const cards = await h.db.selectFrom('notifications').select(['kind', 'recipient_user_id'])
      .where('lead_id', '=', x.id).execute();
    expect(cards).toEqual([{ kind: 'lead_card', recipient_user_id: agent.id }]);
  });

  it('an admin deletes only after the explicit confirmation, exactly once', async () => {
    const doomed = await makeLead(h.db, { full_name: 'Doomed' });
    const list = await openBulk(admin);
    await select(admin, list, [doomed]);
    await h.tg.press(h.as(admin), h.current(list), 'Delete');
    expect(h.current(list).text).toBe(`❓ Delete this lead? Admins can restore deleted leads.\n#${doomed.id}`);
    expect((await leadRow(doomed.id)).is_deleted).toBe(false);

    const confirm = h.current(list);
    await h.tg.press(h.as(admin), confirm, 'Yes, delete');
    expect(h.fake.sentTexts(admin.telegram_id).at(-1)).toBe('✅ 1 done.');
    expect((await leadRow(doomed.id)).is_deleted).toBe(true);

    const sent = h.fake.callsTo('sendMessage').length;
    await h.tg.press(h.as(admin), confirm, 'Yes, delete');
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⌛ This button is outdated.', show_alert: true });
    expect(h.fake.callsTo('sendMessage')).toHaveLength(sent);
  });

  it('refuses a manager\'s forged delete, an agent\'s /bulk, and a 101st lead', async () => {
    const lead = await makeLead(h.db);
    const list = await openBulk(manager);
    await select(manager, list, [lead]);
    const key = /^bkt1:\d+:(.+)$/.exec(h.tg.dataOf(h.current(list), `#${lead.id} ·`))![1]!;
    await h.tg.tap(h.as(manager), h.current(list), `bkd1:${key}`);
    expect(h.tg.lastAnswer()).toMatchObject({ text: '⛔ You are not allowed to do this.', show_alert: true });
    expect((await leadRow(lead.id)).is_deleted).toBe(false);

    await h.tg.send(h.as(agent), '/bulk');
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toBe('⛔ You are not allowed to do this.');
    await h.tg.tap(h.as(agent), h.current(list), `bkt1:${lead.id}:${key}`);
    expect(h.tg.lastAnswer()?.text).toBe('⛔ You are not allowed to do this.');

    await setSelection(h.store, manager.id, Array.from({ length: 100 }, (_, i) => 1_000_000 + i));
    await h.tg.press(h.as(manager), h.current(list), `#${lead.id} ·`);
    expect(h.tg.lastAnswer()).toMatchObject({ text: 'At most 100 leads per bulk action.', show_alert: true });
  });

  it('keeps the selection across pages', async () => {
    const leads: Lead[] = [];
    for (let i = 0; i < 9; i++) leads.push(await makeLead(h.db, { full_name: `Page lead ${i}` }));
    const list = await openBulk(manager);
    await select(manager, list, [leads[8]!]);
    await h.tg.press(h.as(manager), h.current(list), '▶');
    expect(h.current(list).text).toContain('page 2\nSelected: <b>1</b>');
    await select(manager, list, [leads[0]!]);
    await h.tg.press(h.as(manager), h.current(list), '◀');
    expect(h.current(list).text).toContain('page 1\nSelected: <b>2</b>');
    expect(labelsOf(h.current(list))).toContain(`☑ #${leads[8]!.id} · Page lead 8 · NEW`);
  });
});

describe('/bulk and the §16 rate limit', () => {
  it('counts every lead a bulk stage change moves, and reports the ones past the limit', async () => {
    const h = await createBotHarness({ RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '4' });
    try {
      const manager = await makeUser(h.db, { role: 'manager' });
      const leads = [await makeLead(h.db), await makeLead(h.db), await makeLead(h.db)];
      await h.tg.send(h.as(manager), '/bulk');
      const list = h.fake.lastMessage(manager.telegram_id);
      for (const lead of leads) await h.tg.press(h.as(manager), h.fake.message(list.chatId, list.messageId), `#${lead.id} ·`);
      const open = () => h.fake.message(list.chatId, list.messageId);
      await h.tg.press(h.as(manager), open(), 'Stage');
      await h.tg.press(h.as(manager), open(), 'Contacted');
      expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toBe('✅ 3 done.');

      // One use left of four: of two leads, one moves and one is refused with the limit.
      await h.tg.send(h.as(manager), '/bulk');
      const again = h.fake.lastMessage(manager.telegram_id);
      await h.tg.press(h.as(manager), again, `#${leads[0]!.id} ·`);
      await h.tg.press(h.as(manager), h.fake.message(again.chatId, again.messageId), `#${leads[1]!.id} ·`);
      await h.tg.press(h.as(manager), h.fake.message(again.chatId, again.messageId), 'Stage');
      await h.tg.press(h.as(manager), h.fake.message(again.chatId, again.messageId), 'Qualified');
      expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toMatch(/1 done, ❌ 1 failed[\s\S]*⏳ Too many actions of this kind\. Try again in \d+ minutes?\./);
      const stages = await h.db.selectFrom('leads').select(['id', 'stage']).where('id', 'in', leads.map((l) => l.id)).orderBy('id').execute();
      expect(stages.map((s) => s.stage).sort()).toEqual(['CONTACTED', 'CONTACTED', 'QUALIFIED']);
    } finally {
      await h.close();
    }
  });
});
