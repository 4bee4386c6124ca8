import { Composer } from 'grammy';
import { can, type User } from '../../core/index.js';
import { commandsOf, HELP_SECTIONS } from '../command-menu.js';
import type { ActiveContext, BotContext } from '../context.js';
import type { Texts } from '../texts/index.js';

/**
 * /help (§1): the commands the reader can use — those of their role, the
 * same as their command menu (bot/command-menu.ts) — explained in their
 * language.
 */
export function helpFeature(): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('help', async (ctx) => {
    await ctx.reply(renderHelp(ctx.t, ctx.user), { parse_mode: 'HTML' });
  });

  return composer;
}

/**
 * /help for everyone else (unknown, pending, rejected, deactivated): what
 * the bot is, how to get in, and where they stand. In the language of their
 * Telegram app unless they registered with another.
 */
export function guestHelpFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('help', async (ctx) => {
    const t = ctx.t;
    const status = ctx.user?.status === 'pending' ? t.access.pending
      : ctx.user?.status === 'rejected' ? t.access.rejected
        : t.access.noAccess;
    await ctx.reply(`${t.help.guest}\n\n${status}`, { parse_mode: 'HTML' });
  });

  return composer;
}

export function renderHelp(t: Texts, user: User): string {
  const entries = commandsOf(user);
  const blocks = HELP_SECTIONS.flatMap((section) => {
    const lines = entries.filter((entry) => entry.section === section).map((entry) =>
      entry.command === 'leads' && can(user, 'leads.all') ? t.help.leadsAll
        : entry.command === 'deals' && can(user, 'deals.all') ? t.help.dealsAll : t.help.lines[entry.command]);
    return lines.length ? [[t.help.sections[section], ...lines].join('\n')] : [];
  });
  return [t.help.title(t.roles[user.role]), ...blocks, t.help.footer].join('\n\n');
}
