import { Composer } from 'grammy';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/**
 * Last in the CRM branch (house style rule 7): what no feature claimed.
 * Buttons of old versions or forged data get "outdated button"; unknown
 * commands and stray text get a hint. Never calls next, so an active user
 * never falls through to the no-access answer.
 */
export function unhandledFeature({ storeTrouble }: Pick<BotDeps, 'storeTrouble'> = {}): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.on('callback_query', async (ctx) => {
    ctx.log.info({ data: ctx.callbackQuery.data?.slice(0, 64) }, 'bot_outdated_button');
    await ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton, show_alert: true });
  });

  // Outside a conversation there is nothing to cancel; say so rather than "unknown command".
  composer.command('cancel', async (ctx) => {
    await ctx.reply(ctx.t.common.cancelled);
  });

  composer.on('message', async (ctx) => {
    // Text that may have been an answer to a question whose state Redis held while it was away.
    const lost = storeTrouble?.() && ctx.message.text !== undefined && !ctx.message.text.startsWith('/');
    await ctx.reply(lost ? ctx.t.common.conversationLost : ctx.t.common.unknownCommand, { parse_mode: 'HTML' });
  });

  // Other update kinds (edits, member changes) need no answer, and must not reach "no access".
  composer.use(() => undefined);

  return composer;
}
