import type { Conversation } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { ActiveContext } from '../context.js';
import { errorText } from '../texts/errors.js';
import type { Texts } from '../texts/index.js';

/**
 * Conversations see the outside context (fresh user, texts, logger, the api
 * with auto-retry) only inside conversation.external(), which is also where
 * every side effect belongs (house style rule 8).
 */
export type CrmConversation = Conversation<ActiveContext, Context>;

/** /cancel, also as /cancel@bot: leaves any question. */
export const CANCEL = /^\/cancel(@\w+)?(\s|$)/i;

/** Sends an HTML text from inside a conversation, once (not again on replay). */
export async function say(conversation: CrmConversation, text: (t: Texts) => string): Promise<void> {
  await conversation.external(async (ctx) => {
    await ctx.reply(text(ctx.t), { parse_mode: 'HTML' });
  });
}

/**
 * Asks for free text and waits for it. Returns the trimmed text, or null
 * after /cancel. Buttons tapped meanwhile keep working (the update is passed
 * on and the question stays open); any other command leaves the
 * conversation and runs as usual.
 */
export async function askText(
  conversation: CrmConversation, prompt: (t: Texts) => string, limits: { min: number; max: number },
): Promise<string | null> {
  await say(conversation, prompt);
  for (;;) {
    const ctx = await conversation.wait();
    if (ctx.callbackQuery) await conversation.skip({ next: true });
    if (!ctx.message) await conversation.skip({ next: false });
    const text = ctx.message?.text;
    if (text === undefined) {
      await say(conversation, (t) => t.actions.textOnly);
      continue;
    }
    if (CANCEL.test(text)) {
      await say(conversation, (t) => t.common.cancelled);
      return null;
    }
    if (text.startsWith('/')) await conversation.halt({ next: true });
    const body = text.trim();
    const length = [...body].length;
    if (length < limits.min) await say(conversation, (t) => t.actions.tooShort(limits.min));
    else if (length > limits.max) await say(conversation, (t) => t.actions.tooLong(limits.max));
    else return body;
  }
}

/**
 * Runs a side effect with the outside context and turns domain errors into
 * their text right there: an error leaving external() is structured-cloned
 * by the plugin, which drops its class, so the bot's error boundary could no
 * longer tell a ForbiddenError from a crash.
 */
export async function act(
  conversation: CrmConversation, task: (ctx: ActiveContext) => Promise<void>,
): Promise<void> {
  await conversation.external(async (ctx) => {
    try {
      await task(ctx);
    } catch (err) {
      const text = errorText(ctx.t, err);
      if (text === null) throw err;
      ctx.log.info({ code: (err as { code?: string }).code }, 'bot_domain_error');
      await ctx.reply(text, { parse_mode: 'HTML' });
    }
  });
}
