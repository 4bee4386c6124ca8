import { Composer } from 'grammy';
import { can } from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { textsForUser } from '../texts/index.js';

/**
 * /start (§1) for the team: configured admin ids become active admins,
 * known users see where they stand (pending requests from before invites
 * existed still wait for an admin). Anyone else is not staff: their /start
 * goes on to the customer branch (§12), and a rejected request is treated
 * the same way — under invites, people who wrote without one are customers.
 */
export function startFeature({ core }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx, next) => {
    const from = ctx.from!;
    const registered = await core.users.register({
      telegramId: from.id,
      username: from.username ?? null,
      fullName: [from.first_name, from.last_name].filter(Boolean).join(' '),
      language: ctx.lang,
    });
    if (!registered || registered.user.status === 'rejected') return next();
    const { user } = registered;
    ctx.user = user;
    ctx.lang = user.language;
    ctx.t = textsForUser(core, user);
    const t = ctx.t;

    if (user.status === 'active') {
      const help = t.access.welcome(escapeHtml(user.full_name), t.roles[user.role]);
      await ctx.reply(can(user, 'sources.manage') ? `${help}\n${t.access.welcomeAdmin}` : help, { parse_mode: 'HTML' });
      return;
    }
    await ctx.reply(user.status === 'pending' ? t.access.pending : t.access.noAccess, { parse_mode: 'HTML' });
  });

  return composer;
}
