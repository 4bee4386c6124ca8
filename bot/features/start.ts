import { Composer } from 'grammy';
import { can } from '../../core/index.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { textsForUser } from '../texts/index.js';

/**
 * /start (§1): registers whoever writes. Configured admin ids become active
 * admins; anyone else waits for approval, and core sends every admin the
 * request (outbox) with decision buttons (features/access.ts handles the taps).
 */
export function startFeature({ core }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx) => {
    const from = ctx.from!;
    const { user, isNew } = await core.users.register({
      telegramId: from.id,
      username: from.username ?? null,
      fullName: [from.first_name, from.last_name].filter(Boolean).join(' '),
      language: ctx.lang,
    });
    ctx.user = user;
    ctx.lang = user.language;
    ctx.t = textsForUser(core, user);
    const t = ctx.t;
    if (isNew && user.status === 'pending') ctx.log.info({ pending_user_id: user.id }, 'access_requested');

    if (user.status === 'active') {
      const help = t.access.welcome(escapeHtml(user.full_name), t.roles[user.role]);
      await ctx.reply(can(user, 'sources.manage') ? `${help}\n${t.access.welcomeAdmin}` : help, { parse_mode: 'HTML' });
      return;
    }
    if (user.status === 'pending') {
      await ctx.reply(t.access.pending, { parse_mode: 'HTML' });
      return;
    }
    await ctx.reply(user.status === 'rejected' ? t.access.rejected : t.access.noAccess, { parse_mode: 'HTML' });
  });

  return composer;
}
