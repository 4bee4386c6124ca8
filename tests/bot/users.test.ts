import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/database.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { getUser } from '../../core/users/user.service.js';
import { type ChatMessage, labelsOf } from '../support/fake-telegram.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeLead, makeUser } from '../support/factories.js';

const CONFIGURED_ADMIN = 7_700_001;

describe('/users (§1, §4; admins)', () => {
  let h: BotHarness;
  let admin: User;
  let manager: User;
  let agent: User;

  beforeAll(async () => {
    h = await createBotHarness({ ADMIN_TELEGRAM_IDS: String(CONFIGURED_ADMIN) });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    agent = await makeUser(h.db, { name: 'Ann <Agent>', capacity: 20 });
  });
  afterAll(() => h.close());


  async function openUser(user: User): Promise<ChatMessage> {
    await h.tg.send(h.as(admin), '/users');
    const list = h.fake.lastMessage(admin.telegram_id);
    await h.tg.press(h.as(admin), list, user.full_name.slice(0, 8));
    return h.current(list);
  }

  /** The words of the last `n` tap answers. */
  const answers = (n: number) => h.fake.callsTo('answerCallbackQuery').slice(-n).map((p) => p?.text);

  it('lists users with status, role and load, and opens a user\'s screen with the admin buttons', async () => {
    await makeLead(h.db, { assigned_to: agent.id });
    await h.tg.send(h.as(admin), '/users');
    const list = h.fake.lastMessage(admin.telegram_id);
    expect(list.text).toContain('👥 <b>Users</b> (1/1)');
    expect(labelsOf(list)).toContain('🟢 Ann <Agent> · agent · 1/20');

    const screen = await openUser(agent);
    expect(screen.text).toContain('👤 <b>Ann &lt;Agent&gt;</b>');
    expect(screen.text).toContain('Role: <b>agent</b>');
    expect(screen.text).toContain('Open leads / capacity: 1/20');
    expect(labelsOf(screen)).toEqual([
      '• agent', 'manager', 'admin', '5', '10', '• 20', '50', '✍️ Other…', '🚫 Deactivate', '↩️ Users',
    ]);
  });

  it('changes the role, says so, and tells the person', async () => {
    const screen = await openUser(agent);
    await h.tg.press(h.as(admin), screen, 'manager');
    expect(h.current(screen).text).toContain('✅ Ann &lt;Agent&gt; is now <b>manager</b>.');
    expect((await getUser(h.db, agent.id)).role).toBe('manager');
    await h.deliver();
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toBe('ℹ️ Your role in the CRM is now <b>manager</b>.');
    await h.tg.press(h.as(admin), h.current(screen), 'agent');
    expect((await getUser(h.db, agent.id)).role).toBe('agent');
  });

  it('sets capacity with a preset, or a typed number after refusing anything outside 0–10000', async () => {
    const screen = await openUser(agent);
    await h.tg.press(h.as(admin), screen, '50');
    expect(h.current(screen).text).toContain('✅ Capacity of Ann &lt;Agent&gt;: <b>50</b>.');

    await h.tg.press(h.as(admin), h.current(screen), 'Other');
    expect(h.fake.sentTexts(admin.telegram_id).at(-1))
      .toBe('✍️ New capacity for Ann &lt;Agent&gt;: a whole number from 0 to 10000, or /cancel.');
    await h.tg.send(h.as(admin), '10001');
    expect(h.fake.sentTexts(admin.telegram_id).at(-1)).toBe('Please send a whole number from 0 to 10000, or /cancel.');
    await h.tg.send(h.as(admin), 'many');
    expect((await getUser(h.db, agent.id)).capacity).toBe(50);
    await h.tg.send(h.as(admin), '7');
    expect((await getUser(h.db, agent.id)).capacity).toBe(7);
    expect(h.fake.sentTexts(admin.telegram_id).at(-1)).toContain('✅ Capacity of Ann &lt;Agent&gt;: <b>7</b>.');
  });

  it('on their own screen an admin has no role or deactivate buttons, and a forged self-demotion is refused', async () => {
    const screen = await openUser(admin);
    expect(screen.text).toContain('This is you: you cannot change your own role or deactivate yourself.');
    expect(labelsOf(screen)).toEqual(['5', '10', '• 20', '50', '✍️ Other…', '↩️ Users']);
    await h.tg.tap(h.as(admin), screen, `mur1:agent:${admin.id}`);
    await h.tg.tap(h.as(admin), screen, `muy1:${admin.id}`);
    expect(answers(2)).toEqual(Array(2).fill('⛔ You are not allowed to do this.'));
    expect(await getUser(h.db, admin.id)).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('refuses managers and agents: the command and forged buttons alike', async () => {
    const someMessage = { chatId: manager.telegram_id, messageId: 1, text: 'x' };
    await h.tg.send(h.as(manager), '/users');
    await h.tg.tap(h.as(manager), someMessage, `mur1:admin:${manager.id}`);
    await h.tg.tap(h.as(manager), someMessage, `muy1:${agent.id}`);
    await h.tg.send(h.as(agent), '/users');
    expect(h.fake.sentTexts(manager.telegram_id).at(-1)).toBe('⛔ You are not allowed to do this.');
    expect(answers(2)).toEqual(Array(2).fill('⛔ You are not allowed to do this.'));
    expect(h.fake.sentTexts(agent.telegram_id).at(-1)).toBe('⛔ You are not allowed to do this.');
    expect(await getUser(h.db, manager.id)).toMatchObject({ role: 'manager' });
    expect(await getUser(h.db, agent.id)).toMatchObject({ status: 'active' });
  });

  it('deactivation asks first, reassigns the open leads, tells the new owners, and locks the person out at once', async () => {
    const leaving = await makeUser(h.db, { name: 'Leo Leaving' });
    const taker = await makeUser(h.db, { name: 'Tom Taker', capacity: 100 });
    const lead = await makeLead(h.db, { assigned_to: leaving.id, stage: 'CONTACTED' });

    const screen = await openUser(leaving);
    await h.tg.press(h.as(admin), screen, 'Deactivate');
    expect(h.current(screen).text).toContain('❓ Deactivate Leo Leaving? They lose access at once; their 1 open leads go to agents');
    expect((await getUser(h.db, leaving.id)).status).toBe('active');

    await h.tg.press(h.as(admin), h.current(screen), 'Confirm');
    const done = h.current(screen).text;
    expect(done).toContain('🚫 Leo Leaving deactivated. Leads reassigned: 1; left unassigned (managers told): 0.');
    expect(done).toContain(`#${lead.id} → Tom Taker`);
    expect(labelsOf(h.current(screen))).toContain('✅ Reactivate');
    expect((await getLead(h.db, lead.id)).assigned_to).toBe(taker.id);
    const rows = await h.db.selectFrom('notifications').selectAll().where('lead_id', '=', lead.id).execute();
    expect(rows.map((n) => [n.kind, n.recipient_user_id])).toEqual([['lead_card', taker.id]]);
    await h.deliver();
    expect(h.fake.sentTexts(leaving.telegram_id).at(-1)).toBe('⛔ Your access to the CRM was switched off by an admin.');

    await h.tg.send(h.as(leaving), '/on');
    expect(h.fake.sentTexts(leaving.telegram_id).at(-1)).toBe('⛔ You have no access to this CRM. Team members join with an invite link from an admin.');
  });

  it('reactivation gives access back', async () => {
    const gone = await makeUser(h.db, { name: 'Gia Gone', status: 'inactive' });
    const screen = await openUser(gone);
    expect(screen.text).toContain('Status: 🚫 deactivated');
    await h.tg.press(h.as(admin), screen, 'Reactivate');
    expect(h.current(screen).text).toContain('✅ Gia Gone reactivated.');
    await h.deliver();
    expect(h.fake.sentTexts(gone.telegram_id).at(-1)).toContain('Your access to the CRM is back');
    await h.tg.send(h.as(gone), '/on');
    expect(h.fake.sentTexts(gone.telegram_id).at(-1)).toBe('✅ You are back: new leads can come to you again.');
  });

  it('refuses to deactivate or demote an admin set by ADMIN_TELEGRAM_IDS, and says why', async () => {
    const configured = await makeUser(h.db, { role: 'admin', name: 'Cora Config', telegramId: CONFIGURED_ADMIN });
    const screen = await openUser(configured);
    await h.tg.tap(h.as(admin), screen, `muy1:${configured.id}`);
    // Too long for a toast: an alert, which stays until closed.
    expect(h.tg.lastAnswer()).toMatchObject({ show_alert: true });
    expect(h.tg.lastAnswer()?.text).toContain("Cora Config is an admin by the server's configuration (ADMIN_TELEGRAM_IDS)");
    await h.tg.tap(h.as(admin), screen, `mur1:agent:${configured.id}`);
    expect(h.tg.lastAnswer()?.text).toContain('ADMIN_TELEGRAM_IDS');
    expect(await getUser(h.db, configured.id)).toMatchObject({ role: 'admin', status: 'active' });
  });
});
