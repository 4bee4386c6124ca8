import type { BotError } from 'grammy';
import { answerNow, setAnswer } from './callback-answer.js';
import type { BotContext } from './context.js';
import { errorFields } from './log-fields.js';
import { errorCodeOf, errorText } from './texts/errors.js';

/**
 * The bot's inner error edge (bot.errorBoundary, house style rule 10): a
 * domain error becomes its one text (bot/texts/errors.ts) and is a normal
 * outcome, as is the database being away (the user is told it is
 * temporarily unavailable); anything else is logged with the update and the
 * user gets a generic apology. On a button, the words are the tap's answer
 * (a toast or an alert, bot/callback-answer.ts), not a new message — unless
 * the tap was already answered or they do not fit one.
 */
export async function handleUpdateError(error: BotError<BotContext>): Promise<void> {
  const { ctx } = error;
  const err = error.error;
  const text = errorText(ctx.t, err);
  const code = errorCodeOf(err);
  if (code === 'SERVICE_UNAVAILABLE') ctx.log.warn({ ...errorFields(err), code }, 'bot_service_unavailable');
  else if (code) ctx.log.info({ code }, 'bot_domain_error');
  else {
    ctx.failed = true;
    ctx.log.error(errorFields(err), 'bot_update_error');
  }
  if (ctx.callbackQuery && !ctx.callbackAnswered) {
    // A refusal of a tap is its answer; anything else still stops the spinner, and the apology follows.
    const answered = text !== null && setAnswer(ctx, text, { alert: true });
    await answerNow(ctx);
    if (answered) return;
  }
  if (!ctx.chat) return;
  try {
    await ctx.reply(text ?? ctx.t.common.somethingWrong, { parse_mode: 'HTML' });
  } catch (replyErr) {
    // The user may have blocked the bot, or Telegram is away; nothing more to tell them.
    ctx.log.warn(errorFields(replyErr), 'bot_error_reply_failed');
  }
}
