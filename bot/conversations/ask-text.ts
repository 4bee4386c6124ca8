import type { Conversation } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { Core } from '../../core/index.js';
import { answerNow, setAnswer } from '../callback-answer.js';
import { leadInputCancelData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import { errorFields } from '../log-fields.js';
import { errorText } from '../texts/errors.js';
import { askOnCard, restoreCard, type CardRef } from './card-question.js';
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
 * Where a question is asked: on a lead card (see card-question.ts), or as a
 * message when absent. `asked`: the card already shows the question, so a
 * follow-up ("too short, again") goes out as a reply where the user looks.
 */
export interface AskOn { core: Core; ref: CardRef; asked?: boolean }

/**
 * Asks for free text and waits for it. Returns the trimmed text, or null
 * after /cancel (or ❌ Cancel under a question asked on a card, which then
 * shows the card again). Buttons tapped meanwhile keep working (the update
 * is passed on and the question stays open); any other command leaves the
 * conversation and runs as usual.
 */
export async function askText(
  conversation: CrmConversation, prompt: (t: Texts) => string, limits: { min: number; max: number; on?: AskOn },
): Promise<string | null> {
  await ask(conversation, prompt, limits.on);
  for (;;) {
    const ctx = await conversation.wait();
    if (ctx.callbackQuery) {
      if (limits.on && isCancelTap(ctx.callbackQuery.data, limits.on.ref)) return cancelled(conversation, limits.on);
      await conversation.skip({ next: true });
    }
    if (!ctx.message) await conversation.skip({ next: false });
    const text = ctx.message?.text;
    if (text === undefined) {
      await say(conversation, (t) => t.actions.textOnly);
      continue;
    }
    if (CANCEL.test(text)) return cancelled(conversation, limits.on);
    if (text.startsWith('/')) await conversation.halt({ next: true });
    const body = text.trim();
    const length = [...body].length;
    if (length < limits.min) await say(conversation, (t) => t.actions.tooShort(limits.min));
    else if (length > limits.max) await say(conversation, (t) => t.actions.tooLong(limits.max));
    else return body;
  }
}

/** Puts the question on the card, or sends it. */
export async function ask(conversation: CrmConversation, prompt: (t: Texts) => string, on?: AskOn): Promise<void> {
  if (on && !on.asked) await askOnCard(conversation, on.core, on.ref, prompt);
  else await say(conversation, prompt);
}

/** Whether a tap is ❌ Cancel under this very question. */
export const isCancelTap = (data: string | undefined, ref: CardRef): boolean =>
  leadInputCancelData.unpack(data)?.leadId === ref.leadId;

/**
 * Leaves a question: the card it was asked on comes back in place; a tap
 * on ❌ Cancel hears "Cancelled" as its answer, a typed /cancel as a reply.
 * Returns null, the "no answer" of askText.
 */
export async function cancelled(conversation: CrmConversation, on?: AskOn): Promise<null> {
  await conversation.external(async (ctx) => {
    if (on) await restoreCard(on.core, ctx, on.ref).catch((err: unknown) => ctx.log.info(errorFields(err), 'bot_card_not_restored'));
    if (ctx.callbackQuery) {
      setAnswer(ctx, ctx.t.common.cancelled);
      await answerNow(ctx);
    } else {
      await ctx.reply(ctx.t.common.cancelled, { parse_mode: 'HTML' });
    }
  });
  return null;
}

/**
 * Runs a side effect with the outside context and turns domain errors into
 * their text right there: an error leaving external() is structured-cloned
 * by the plugin, which drops its class, so the bot's error boundary could no
 * longer tell a ForbiddenError from a crash.
 */
export async function act(
  conversation: CrmConversation, task: (ctx: ActiveContext) => Promise<void>, on?: AskOn,
): Promise<void> {
  await conversation.external(async (ctx) => {
    try {
      await task(ctx);
    } catch (err) {
      const text = errorText(ctx.t, err);
      if (text === null) throw err;
      ctx.log.info({ code: (err as { code?: string }).code }, 'bot_domain_error');
      // The question is over: its card gets its buttons back (if the lead is still there to show).
      if (on) await restoreCard(on.core, ctx, on.ref).catch((e: unknown) => ctx.log.info(errorFields(e), 'bot_card_not_restored'));
      await ctx.reply(text, { parse_mode: 'HTML' });
    }
  });
}
