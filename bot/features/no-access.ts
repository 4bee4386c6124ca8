import { Composer } from 'grammy';
import type { BotContext } from '../context.js';

/**
 * Team accounts that cannot work ends here (§1): pending requests (from
 * before invites), deactivated people, and configured admins who have not
 * sent /start yet see nothing of the CRM, only where they stand. Never
 * calls next. (Everyone else who writes to the bot is a customer.)
 */
export function noAccessFeature(): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.use(async (ctx) => {
    const t = ctx.t;
    const text = ctx.user?.status === 'pending' ? t.access.pending
      : ctx.user?.status === 'rejected' ? t.access.rejected
        : t.access.noAccess;
    ctx.log.info({ status: ctx.user?.status ?? 'unknown' }, 'bot_access_denied');
    if (ctx.callbackQuery) {
      // These three texts carry no HTML, so they read the same in a callback answer.
      await ctx.answerCallbackQuery({ text, show_alert: true });
      return;
    }
    if (ctx.message) await ctx.reply(text, { parse_mode: 'HTML' });
  });

  return composer;
}
