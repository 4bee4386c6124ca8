import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByTelegramId } from '../../core/users/user.service.js';
import { createBotHarness, type BotHarness } from '../support/bot-harness.js';
import { makeUser } from '../support/factories.js';

const ADMIN = 3001;

/** The invite link an admin gets from /invite → role → expiry. */
async function invite(h: BotHarness, role: 'Agent' | 'agent' | 'manager' | 'admin', expiry = '7 days'): Promise<string> {
  const admin = h.tg.user(ADMIN);
  await h.tg.send(admin, '/invite');
  await h.tg.press(admin, h.fake.lastMessage(ADMIN), role);
  await h.tg.press(admin, h.fake.lastMessage(ADMIN), expiry);
  const link = /https:\/\/t\.me\/ael_crm_test_bot\?start=(inv_[A-Za-z0-9_-]+)/.exec(h.fake.lastMessage(ADMIN).text);
  expect(link).not.toBeNull();
  return link![1]!;
}

describe('staff join by invitation (§1)', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await createBotHarness({ ADMIN_TELEGRAM_IDS: String(ADMIN) });
    await h.tg.send(h.tg.user(ADMIN, { firstName: 'Anna' }), '/start');
  });
  afterAll(() => h.close());

  it('an admin makes a single-use link for a role; whoever opens it is staff with that role, and the admin is told', async () => {
    const payload = await invite(h, 'manager');
    expect(h.fake.lastMessage(ADMIN).text).toContain('valid until');
    await h.tg.send(h.tg.user(3101, { firstName: 'Mira' }), `/start ${payload}`);
    expect(await findUserByTelegramId(h.db, 3101)).toMatchObject({ role: 'manager', status: 'active' });
    expect(h.fake.sentTexts(3101).at(-1)).toContain('Welcome to the team, <b>Mira</b>');
    await h.deliver();
    expect(h.fake.sentTexts(ADMIN).at(-1)).toContain('Mira joined the team as <b>manager</b>');
    // Right away a member of the team: /leads works.
    await h.tg.send(h.tg.user(3101), '/leads');
    expect(h.fake.sentTexts(3101).at(-1)).toMatch(/leads/i);
  });

  it('works once: the same link opened by someone else is refused, by the same person again is harmless', async () => {
    const payload = await invite(h, 'agent');
    await h.tg.send(h.tg.user(3102, { firstName: 'Ostap' }), `/start ${payload}`);
    await h.tg.send(h.tg.user(3102, { firstName: 'Ostap' }), `/start ${payload}`);
    expect(h.fake.sentTexts(3102).at(-1)).toContain('already on the team');
    await h.tg.send(h.tg.user(3103, { firstName: 'Petro' }), `/start ${payload}`);
    expect(h.fake.sentTexts(3103).at(-1)).toContain('already been used');
    expect(await findUserByTelegramId(h.db, 3103)).toBeUndefined();
  });

  it('refuses an expired link and a made-up one', async () => {
    const payload = await invite(h, 'agent', '24 h');
    await h.db.updateTable('staff_invites').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    await h.tg.send(h.tg.user(3104), `/start ${payload}`);
    expect(h.fake.sentTexts(3104).at(-1)).toContain('expired');
    await h.tg.send(h.tg.user(3105), '/start inv_madeUpTokenThatIsNotReal');
    expect(h.fake.sentTexts(3105).at(-1)).toContain('not valid');
    expect(await findUserByTelegramId(h.db, 3105)).toBeUndefined();
  });

  it('a customer who opens an invite joins the team; a deactivated person is not brought back by one', async () => {
    await h.tg.send(h.tg.user(3106, { firstName: 'Roma' }), 'Hello, is this the sales team?');
    expect(await h.db.selectFrom('conversations').select('id').where('telegram_user_id', '=', 3106).execute()).toHaveLength(1);
    await h.tg.send(h.tg.user(3106, { firstName: 'Roma' }), `/start ${await invite(h, 'agent')}`);
    expect(await findUserByTelegramId(h.db, 3106)).toMatchObject({ role: 'agent', status: 'active' });

    await makeUser(h.db, { telegramId: 3107, status: 'inactive' });
    await h.tg.send(h.tg.user(3107), `/start ${await invite(h, 'agent')}`);
    expect(h.fake.sentTexts(3107).at(-1)).toContain('deactivated');
    expect(await findUserByTelegramId(h.db, 3107)).toMatchObject({ status: 'inactive' });
  });

  it('welcomes a Ukrainian-speaking person in Ukrainian', async () => {
    await h.tg.send(h.tg.user(3108, { firstName: 'Олена', languageCode: 'uk' }), `/start ${await invite(h, 'agent')}`);
    expect(h.fake.sentTexts(3108).at(-1)).toContain('Вітаємо в команді');
  });

  it('only admins make invites', async () => {
    const agent = await makeUser(h.db, { role: 'agent' });
    await h.tg.send(h.as(agent), '/invite');
    expect(h.lastText(agent)).toContain('Only admins');
    await h.tg.tap(h.as(agent), { chatId: agent.telegram_id, messageId: 1, text: 'x' }, 'ive1:admin:24');
    expect(await h.db.selectFrom('staff_invites').select('id').where('created_by', '=', agent.id).execute()).toEqual([]);
  });
});
