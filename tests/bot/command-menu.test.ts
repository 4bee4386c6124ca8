import { Api, GrammyError } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setGuestCommands } from '../../bot/command-menu.js';
import type { User } from '../../core/database.js';
import { getUser } from '../../core/users/user.service.js';
import { createBotHarness, TEST_BOT_TOKEN, type BotHarness } from '../support/bot-harness.js';
import { failures } from '../support/fake-telegram.js';
import { makeUser } from '../support/factories.js';

const AGENT_MENU = ['leads', 'find', 'lead', 'inbox', 'new', 'reminders', 'digest', 'mystats', 'deals', 'deal', 'settings', 'off', 'on', 'lang', 'api', 'help', 'cancel'];
const MANAGER_MENU = [
  'leads', 'find', 'lead', 'inbox', 'new', 'reminders', 'digest', 'mystats', 'deals', 'deal', 'team', 'bulk', 'export', 'report', 'settings', 'off', 'on', 'lang',
  'api', 'help', 'cancel',
];
const ADMIN_MENU = [
  'leads', 'find', 'lead', 'inbox', 'new', 'reminders', 'digest', 'mystats', 'deals', 'deal', 'team', 'bulk', 'export', 'report', 'users', 'invite', 'sources',
  'campaigns', 'autoreply', 'deleted', 'outbox', 'aistats', 'webhooks', 'settings', 'off', 'on', 'lang', 'api', 'help', 'cancel',
];
const NOT_FOR_AGENTS = ['users', 'sources', 'bulk', 'team', 'outbox', 'webhooks', 'aistats', 'deleted', 'export', 'report', 'invite', 'campaigns', 'autoreply'];

describe('the command menu, per role and language (§1)', () => {
  let h: BotHarness;
  let admin: User;
  const setsFor = (user: Pick<User, 'telegram_id'>) =>
    h.fake.callsTo('setMyCommands').filter((p) => p.scope?.chat_id === user.telegram_id);

  beforeAll(async () => {
    h = await createBotHarness();
    admin = await makeUser(h.db, { role: 'admin', name: 'Adele' });
  });
  afterAll(() => h.close());

  it('shows an agent only the commands of agents, in English or Ukrainian', async () => {
    const en = await makeUser(h.db, { name: 'Ann' });
    const uk = await makeUser(h.db, { name: 'Oksana', language: 'uk' });
    await h.tg.send(h.as(en), '/leads');
    await h.tg.send(h.as(uk), '/leads');

    expect(h.fake.commandNames(en.telegram_id)).toEqual(AGENT_MENU);
    expect(h.fake.commandNames(uk.telegram_id)).toEqual(AGENT_MENU);
    for (const name of NOT_FOR_AGENTS) expect(h.fake.commandNames(en.telegram_id)).not.toContain(name);
    // The chat's own menu, whatever language the person's Telegram app uses.
    expect(h.fake.commandMenu(en.telegram_id, 'uk')[0]).toEqual({ command: 'leads', description: 'My open leads, with filters' });
    expect(h.fake.commandMenu(uk.telegram_id, 'en')[0]).toEqual({ command: 'leads', description: 'Мої відкриті ліди, з фільтрами' });
    expect(h.fake.commandMenu(uk.telegram_id).find((c) => c.command === 'settings')!.description)
      .toBe('Мова, часовий пояс, прийом нових лідів');
  });

  it('shows managers the team commands and admins everything', async () => {
    const manager = await makeUser(h.db, { role: 'manager', language: 'uk' });
    await h.tg.send(h.as(manager), '/help');
    await h.tg.send(h.as(admin), '/help');
    expect(h.fake.commandNames(manager.telegram_id)).toEqual(MANAGER_MENU);
    expect(h.fake.commandMenu(manager.telegram_id).find((c) => c.command === 'bulk')!.description).toBe('Масові дії з лідами');
    expect(h.fake.commandNames(admin.telegram_id)).toEqual(ADMIN_MENU);
  });

  it('sets a chat\'s menu once, and again only after a role or language change', async () => {
    const user = await makeUser(h.db, { name: 'Petro' });
    const me = h.as(user);
    await h.tg.send(me, '/leads');
    await h.tg.send(me, '/help');
    await h.tg.send(me, 'hello');
    expect(setsFor(user)).toHaveLength(1);

    await h.core.users.setRole(admin, { userId: user.id, role: 'manager' });
    await h.tg.send(me, '/leads');
    expect(setsFor(user)).toHaveLength(2);
    expect(h.fake.commandNames(user.telegram_id)).toEqual(MANAGER_MENU);

    // A language switch re-sets it at once, in the update that switched.
    await h.tg.send(me, '/lang');
    await h.tg.press(me, h.fake.lastMessage(user.telegram_id), 'Українська');
    expect(setsFor(user)).toHaveLength(3);
    expect(h.fake.commandMenu(user.telegram_id)[0]!.description).toBe('Мої відкриті ліди, з фільтрами');

    await h.tg.send(me, '/leads');
    await h.tg.send(me, '/team');
    expect(setsFor(user)).toHaveLength(3);

    await h.core.users.setRole(admin, { userId: user.id, role: 'agent' });
    await h.tg.send(me, '/team'); // refused, and the menu follows the demotion anyway
    expect(h.lastText(user)).toBe('⛔ У вас немає права на цю дію.');
    expect(setsFor(user)).toHaveLength(4);
    expect(h.fake.commandNames(user.telegram_id)).toEqual(AGENT_MENU);
  });

  it('gives people not registered yet the default menu: /start and /help, in their app\'s language', async () => {
    await setGuestCommands(h.bot.api, 'en');
    const stranger = h.tg.user(5_551, { firstName: 'Stan', languageCode: 'en' });
    const ukStranger = h.tg.user(5_552, { firstName: 'Stepan', languageCode: 'uk' });
    await h.tg.send(stranger, '/help');
    await h.tg.send(ukStranger, '/help');

    expect(h.fake.commandMenu(stranger.id, 'en')).toEqual([
      { command: 'start', description: 'Start' },
      { command: 'help', description: 'What you can do here' },
    ]);
    expect(h.fake.commandMenu(ukStranger.id, 'uk')).toEqual([
      { command: 'start', description: 'Почати' },
      { command: 'help', description: 'Що ви тут можете зробити' },
    ]);
    // Someone who is not on the team is a customer (§12): what they write, /help too, goes to the team.
    const stored = await h.db.selectFrom('conversations').select('telegram_user_id')
      .where('telegram_user_id', 'in', [stranger.id, ukStranger.id]).execute();
    expect(stored).toHaveLength(2);
  });

  it('takes a deactivated user\'s menu away, so they see the default one again', async () => {
    await setGuestCommands(h.bot.api, 'en');
    const user = await makeUser(h.db, { name: 'Dmytro' });
    await h.tg.send(h.as(user), '/leads');
    expect(h.fake.commandNames(user.telegram_id)).toEqual(AGENT_MENU);

    await h.core.users.deactivate(admin, user.id);
    await h.tg.send(h.as(user), '/leads');
    expect(h.fake.callsTo('deleteMyCommands').at(-1)).toEqual({ scope: { type: 'chat', chat_id: user.telegram_id } });
    expect(h.fake.commandNames(user.telegram_id, 'en')).toEqual(['start', 'help']);
    await h.tg.send(h.as(user), '/help');
    expect(h.fake.callsTo('deleteMyCommands').filter((p) => p.scope.chat_id === user.telegram_id)).toHaveLength(1);
  });

  it('never fails an update when Telegram refuses the menu, and does not ask again at once', async () => {
    const user = await makeUser(h.db, { name: 'Fedir' });
    h.fake.failNext('setMyCommands', failures.serverError());
    await h.tg.send(h.as(user), '/help');
    expect(h.lastText(user)).toContain('What you can do');
    expect(h.updates.at(-1)!.ok).toBe(true);
    expect(h.fake.commandNames(user.telegram_id)).toEqual(['start', 'help']); // the default menu, meanwhile

    await h.tg.send(h.as(user), '/leads');
    expect(setsFor(user)).toHaveLength(1);

    // Once the pause is over (its record expires), the next update sets it.
    await h.store.delete(`bot:cmds:${user.telegram_id}`);
    await h.tg.send(h.as(user), '/leads');
    expect(h.fake.commandNames(user.telegram_id)).toEqual(AGENT_MENU);
  });
});

describe('/help (§1)', () => {
  let h: BotHarness;
  beforeAll(async () => { h = await createBotHarness(); });
  afterAll(() => h.close());

  const helpOf = async (user: User) => {
    await h.tg.send(h.as(user), '/help');
    return h.lastText(user)!;
  };

  it('explains to an agent only what an agent can do', async () => {
    const help = await helpOf(await makeUser(h.db));
    expect(help).toContain('ℹ️ <b>What you can do</b> · your role: <b>agent</b>');
    expect(help).toContain('/leads — your open leads, a page at a time, with filters');
    expect(help).toContain('/find &lt;name, company, phone or email&gt;');
    expect(help).toContain('/settings — language, time zone and new leads, in one place');
    for (const name of NOT_FOR_AGENTS) expect(help).not.toContain(`/${name}`);
    for (const name of AGENT_MENU) expect(help).toContain(`/${name} `);
  });

  it('explains to a manager the team commands too, in Ukrainian', async () => {
    const help = await helpOf(await makeUser(h.db, { role: 'manager', language: 'uk' }));
    expect(help).toContain('ваша роль: <b>менеджер</b>');
    expect(help).toContain('/leads — усі відкриті ліди, посторінково, з фільтрами');
    expect(help).toContain('👥 <b>Команда</b>\n/team — ');
    expect(help).toContain('/bulk — вибрати ліди');
    for (const name of ['users', 'sources', 'outbox', 'deleted']) expect(help).not.toContain(`/${name}`);
    for (const name of MANAGER_MENU) expect(help).toContain(`/${name} `);
  });

  it('explains to an admin every command', async () => {
    const help = await helpOf(await makeUser(h.db, { role: 'admin' }));
    expect(help).toContain('🛠 <b>Administration</b>');
    for (const name of ADMIN_MENU) expect(help).toContain(`/${name} `);
  });

  it('tells a person waiting for approval how it works and where they stand', async () => {
    const pending = await makeUser(h.db, { status: 'pending', language: 'uk' });
    const help = await helpOf(pending);
    expect(help).toContain('Це CRM-бот відділу продажів.');
    expect(help).toContain('Ваш запит на доступ надіслано адміністраторам.');
  });
});

describe('the fake Bot API checks command menus as Telegram does', () => {
  const h = { api: null as unknown as Api };
  let harness: BotHarness;
  beforeAll(async () => {
    harness = await createBotHarness();
    h.api = new Api(TEST_BOT_TOKEN);
    h.api.config.use(harness.fake.transformer);
  });
  afterAll(() => harness.close());

  const refusal = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (err) {
      return err instanceof GrammyError ? err.description : String(err);
    }
    return null;
  };

  it('refuses bad names, descriptions, too many commands and chat scopes without a chat', async () => {
    expect(await refusal(() => h.api.setMyCommands([{ command: 'Leads', description: 'x' }]))).toBe('Bad Request: BOT_COMMAND_INVALID');
    expect(await refusal(() => h.api.setMyCommands([{ command: 'a'.repeat(33), description: 'x' }]))).toBe('Bad Request: BOT_COMMAND_INVALID');
    expect(await refusal(() => h.api.setMyCommands([{ command: 'ok', description: '' }])))
      .toBe('Bad Request: command description must be non-empty');
    expect(await refusal(() => h.api.setMyCommands([{ command: 'ok', description: 'x'.repeat(257) }])))
      .toBe('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    const many = Array.from({ length: 101 }, (_, i) => ({ command: `c${i}`, description: 'x' }));
    expect(await refusal(() => h.api.setMyCommands(many))).toBe('Bad Request: BOT_COMMANDS_TOO_MUCH');
    expect(await refusal(() => h.api.setMyCommands([{ command: 'ok', description: 'x' }], { scope: { type: 'chat' } as never })))
      .toBe('Bad Request: chat_id is empty');
    expect(await refusal(() => h.api.setMyCommands([{ command: 'ok', description: 'x' }], { language_code: 'ukr' as never })))
      .toBe('Bad Request: invalid language code specified');
  });

  it('keeps what it accepted, per scope and language, until deleted', async () => {
    await h.api.setMyCommands([{ command: 'a_1', description: 'x'.repeat(256) }], { scope: { type: 'chat', chat_id: 9 } });
    expect(await h.api.getMyCommands({ scope: { type: 'chat', chat_id: 9 } })).toEqual([{ command: 'a_1', description: 'x'.repeat(256) }]);
    expect(harness.fake.commandNames(9)).toEqual(['a_1']);
    await h.api.deleteMyCommands({ scope: { type: 'chat', chat_id: 9 } });
    expect(harness.fake.commandNames(9)).toEqual([]);
  });

  it('accepts every menu the bot sets', async () => {
    for (const user of [await makeUser(harness.db), await makeUser(harness.db, { role: 'admin', language: 'uk' })]) {
      await harness.tg.send(harness.as(user), '/help');
      expect((await getUser(harness.db, user.id)).status).toBe('active');
      expect(harness.fake.commandMenu(user.telegram_id).length).toBeGreaterThan(0);
    }
    await setGuestCommands(harness.bot.api, 'uk');
    expect(harness.fake.commandMenu(1, 'en')[0]!.description).toBe('Почати');
  });
});
