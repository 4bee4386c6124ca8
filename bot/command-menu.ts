import { createHash } from 'node:crypto';
import { CommandGroup } from '@grammyjs/commands';
import type { Api, Context } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { can, LANGUAGES, type Language, type Permission, type User } from '../core/index.js';
import { languageFromTelegram, textsFor } from './texts/index.js';

/**
 * What Telegram's command menu ("/" button) and /help offer each reader
 * (§1): a registered, active user sees the commands of their role in their
 * language (a menu for their chat alone); everyone else sees /start and
 * /help in the language their Telegram app uses (the default menu). The
 * menus are built with @grammyjs/commands, which also checks each command
 * against the Bot API's rules.
 */

type Section = 'leads' | 'sales' | 'team' | 'admin' | 'own' | 'other';

interface MenuEntry {
  readonly command: string;
  readonly section: Section;
  /** Shown only to roles with this permission (core's access policy decides). */
  readonly permission?: Permission;
}

/** The commands of active users, in menu order. Every one has a handler in bot/features. */
export const MENU_COMMANDS = [
  { command: 'leads', section: 'leads' },
  { command: 'find', section: 'leads' },
  { command: 'lead', section: 'leads' },
  { command: 'inbox', section: 'leads' },
  { command: 'new', section: 'leads' },
  { command: 'reminders', section: 'leads' },
  { command: 'digest', section: 'leads' },
  { command: 'mystats', section: 'leads' },
  { command: 'deals', section: 'sales' },
  { command: 'deal', section: 'sales' },
  { command: 'team', section: 'team', permission: 'team.view' },
  { command: 'bulk', section: 'team', permission: 'leads.bulk' },
  { command: 'export', section: 'team', permission: 'leads.export' },
  { command: 'report', section: 'team', permission: 'reports.view' },
  { command: 'users', section: 'admin', permission: 'users.manage' },
  { command: 'invite', section: 'admin', permission: 'staff.invite' },
  { command: 'sources', section: 'admin', permission: 'sources.manage' },
  { command: 'campaigns', section: 'admin', permission: 'channel.manage' },
  { command: 'autoreply', section: 'admin', permission: 'channel.manage' },
  { command: 'deleted', section: 'admin', permission: 'leads.delete' },
  { command: 'outbox', section: 'admin', permission: 'outbox.manage' },
  { command: 'aistats', section: 'admin', permission: 'ai.stats' },
  { command: 'webhooks', section: 'admin', permission: 'webhooks.manage' },
  { command: 'settings', section: 'own' },
  { command: 'off', section: 'own' },
  { command: 'on', section: 'own' },
  { command: 'lang', section: 'own' },
  { command: 'api', section: 'own' },
  { command: 'help', section: 'other' },
  { command: 'cancel', section: 'other' },
] as const satisfies readonly MenuEntry[];

/** What people who are not (or not yet, or no longer) active users can do. */
export const GUEST_COMMANDS = ['start', 'help'] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number]['command'];
export type GuestCommand = (typeof GUEST_COMMANDS)[number];

export const HELP_SECTIONS: readonly Section[] = ['leads', 'sales', 'team', 'admin', 'own', 'other'];
export type HelpSection = Section;

/** The entries an active user may use, in menu order. */
export function commandsOf(user: Pick<User, 'status' | 'role'>): readonly (typeof MENU_COMMANDS)[number][] {
  return MENU_COMMANDS.filter((entry) => !('permission' in entry) || can(user, entry.permission));
}

/**
 * A CommandGroup of `names`, described in `primary` and localized into
 * `others` (Telegram shows a localized list to apps in that language).
 * Throws when a command breaks the Bot API's rules (a programming error).
 */
function commandGroup(names: readonly string[], primary: Language, others: readonly Language[] = []): CommandGroup<Context> {
  const describe = (language: Language, name: string) =>
    (textsFor(language, 'UTC').commands as Record<string, string>)[name]!;
  const group = new CommandGroup<Context>();
  for (const name of names) {
    const command = group.command(name, describe(primary, name));
    for (const language of others) command.localize(language, name, describe(language, name));
  }
  return group;
}

/** One setMyCommands call: the commands without the plugin's own bookkeeping fields. */
interface MenuCall { scope: { type: 'default' } | { type: 'chat'; chat_id: number }; language_code?: Language; commands: BotCommand[] }

/** The group's setMyCommands calls for the default scope, one per language. */
function callsOf(group: CommandGroup<Context>): MenuCall[] {
  const { scopes, uncompliantCommands } = group.toArgs();
  if (uncompliantCommands.length) throw new Error(`commands Telegram would refuse: ${JSON.stringify(uncompliantCommands)}`);
  return scopes.map((params) => ({
    scope: { type: 'default' },
    ...(params.language_code ? { language_code: params.language_code as Language } : {}),
    commands: params.commands.map(({ command, description }) => ({ command, description })),
  }));
}

/**
 * The default menu, for people without a menu of their own: /start and
 * /help in DEFAULT_LANGUAGE, and localized for apps in the other languages
 * (the bot speaks Ukrainian to a Ukrainian app, see languageFromTelegram).
 * Set at connect (bot/connection.ts); one call per language.
 */
export async function setGuestCommands(api: Api, defaultLanguage: Language): Promise<void> {
  // The languages an app can be answered in other than the default (a Ukrainian app gets Ukrainian).
  const others = LANGUAGES.filter((language) =>
    language !== defaultLanguage && languageFromTelegram(language, defaultLanguage) === language);
  for (const call of callsOf(commandGroup(GUEST_COMMANDS, defaultLanguage, others))) {
    await api.setMyCommands(call.commands, {
      scope: call.scope, ...(call.language_code ? { language_code: call.language_code } : {}),
    });
  }
}

/** Per role and language: the menu's key and commands (texts and rights are fixed while the process runs). */
const userMenus = new Map<string, { key: string; commands: BotCommand[] }>();

/**
 * The menu a chat should show: the user's own (their role's commands in
 * their language), or none of its own (null: the default menu shows) for
 * anyone not active. `key` names it, with a hash of the commands, so a
 * changed text or command list counts as a new menu without a version to bump.
 */
export function menuFor(user: Pick<User, 'status' | 'role' | 'language'> | null, chatId: number):
  { key: string; call: MenuCall | null } {
  if (user?.status !== 'active') return { key: 'guest', call: null };
  const id = `${user.role}:${user.language}`;
  let menu = userMenus.get(id);
  if (!menu) {
    const [call] = callsOf(commandGroup(commandsOf(user).map((entry) => entry.command), user.language));
    const hash = createHash('sha256').update(JSON.stringify(call!.commands)).digest('base64url').slice(0, 10);
    menu = { key: `${id}:${hash}`, commands: call!.commands };
    userMenus.set(id, menu);
  }
  return { key: menu.key, call: { scope: { type: 'chat', chat_id: chatId }, commands: menu.commands } };
}
