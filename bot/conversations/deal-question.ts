import { InlineKeyboard } from 'grammy';
import type { Core } from '../../core/index.js';
import { answerNow, setAnswer } from '../callback-answer.js';
import { dealInputCancelData } from '../callback-data/deal.js';
import type { ActiveContext } from '../context.js';
import { editView, sendView } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import { errorText } from '../texts/errors.js';
import type { Texts } from '../texts/index.js';
import { dealCardText, renderDealCard } from '../views/deal-card.view.js';
import type { View } from '../views/lead-card.view.js';
import { CANCEL, say, type CrmConversation } from './ask-text.js';

/**
 * Questions asked on a deal card (the amount of AGREEMENT, why it is lost),
 * as lead questions are asked on lead cards (card-question.ts): the card's
 * buttons give way to ❌ Cancel, and the flow ends by replacing the card
 * with a fresh one under the user's answer — or, cancelled, by drawing it
 * again in place. One card per deal in the chat.
 */

/** Where the deal card a flow started on is, and the deal version it showed. */
export interface DealCardRef { dealId: number; chatId: number; messageId: number; version: number }

export function dealCardRefOf(ctx: ActiveContext, deal: { id: number; version: number }): DealCardRef {
  return { dealId: deal.id, chatId: ctx.chat!.id, messageId: ctx.callbackQuery?.message?.message_id ?? 0, version: deal.version };
}

/** Puts the question on the card (once, not again on replay); a card that cannot be edited gets it as a message. */
export async function askOnDealCard(
  conversation: CrmConversation, core: Core, ref: DealCardRef, prompt: (t: Texts) => string,
): Promise<void> {
  await conversation.external(async (ctx) => {
    const card = await core.deals.card(ctx.user, ref.dealId);
    const view: View = {
      text: `${dealCardText(ctx.t, card)}\n\n${prompt(ctx.t)}`,
      keyboard: new InlineKeyboard().text(ctx.t.common.cancel, dealInputCancelData.pack({ dealId: ref.dealId })),
    };
    try {
      await editView(ctx.api, ref.chatId, ref.messageId, view);
    } catch (err) {
      ctx.log.warn(errorFields(err), 'bot_card_question_not_drawn');
      await ctx.reply(prompt(ctx.t), { parse_mode: 'HTML' });
    }
  });
}

/**
 * Waits for typed text of `min`–`max` characters; null after /cancel or
 * ❌ Cancel under this question (the card is drawn again). Other taps pass
 * on with the question still open; another command leaves it and runs.
 */
export async function waitDealText(
  conversation: CrmConversation, core: Core, ref: DealCardRef, limits: { min: number; max: number },
): Promise<string | null> {
  for (;;) {
    const ctx = await conversation.wait();
    if (ctx.callbackQuery) {
      if (dealInputCancelData.unpack(ctx.callbackQuery.data)?.dealId === ref.dealId) return dealCancelled(conversation, core, ref);
      await conversation.skip({ next: true });
    }
    if (!ctx.message) await conversation.skip({ next: false });
    const text = ctx.message?.text;
    if (text === undefined) {
      await say(conversation, (t) => t.actions.textOnly);
      continue;
    }
    if (CANCEL.test(text)) return dealCancelled(conversation, core, ref);
    if (text.startsWith('/')) await conversation.halt({ next: true });
    const body = text.trim();
    const length = [...body].length;
    if (length < limits.min) await say(conversation, (t) => t.actions.tooShort(limits.min));
    else if (length > limits.max) await say(conversation, (t) => t.actions.tooLong(limits.max));
    else return body;
  }
}

async function dealCancelled(conversation: CrmConversation, core: Core, ref: DealCardRef): Promise<null> {
  await conversation.external(async (ctx) => {
    await restoreDealCard(core, ctx, ref);
    if (ctx.callbackQuery) {
      setAnswer(ctx, ctx.t.common.cancelled);
      await answerNow(ctx);
    } else {
      await ctx.reply(ctx.t.common.cancelled, { parse_mode: 'HTML' });
    }
  });
  return null;
}

/** The card drawn again in place, as it is now (a cancelled or refused flow). */
export async function restoreDealCard(core: Core, ctx: ActiveContext, ref: DealCardRef): Promise<void> {
  try {
    await editView(ctx.api, ref.chatId, ref.messageId, renderDealCard(ctx.t, await core.deals.card(ctx.user, ref.dealId)));
  } catch (err) {
    ctx.log.info(errorFields(err), 'bot_card_not_restored');
  }
}

/** The end of a flow: the old card goes, `view` (the fresh card) comes under the user's answer. */
export async function replaceDealCard(ctx: ActiveContext, ref: DealCardRef, view: View): Promise<void> {
  try {
    await ctx.api.deleteMessage(ref.chatId, ref.messageId);
  } catch (err) {
    ctx.log.info(errorFields(err), 'bot_card_not_deleted');
    await editView(ctx.api, ref.chatId, ref.messageId, { text: ctx.t.deals.movedBelow(ref.dealId), keyboard: new InlineKeyboard() })
      .catch((e: unknown) => ctx.log.warn(errorFields(e), 'bot_card_redraw_failed'));
  }
  await sendView(ctx.api, ref.chatId, view);
}

/**
 * Runs a side effect with the outside context; a domain error becomes its
 * words right there (an error leaving external() loses its class), the
 * card gets its buttons back. Returns whether it succeeded.
 */
export async function actOnDeal(
  conversation: CrmConversation, core: Core, ref: DealCardRef, task: (ctx: ActiveContext) => Promise<void>,
): Promise<boolean> {
  return conversation.external(async (ctx) => {
    try {
      await task(ctx);
      return true;
    } catch (err) {
      const text = errorText(ctx.t, err);
      if (text === null) throw err;
      ctx.log.info({ code: (err as { code?: string }).code, deal_id: ref.dealId }, 'bot_domain_error');
      await restoreDealCard(core, ctx, ref);
      await ctx.reply(text, { parse_mode: 'HTML' });
      return false;
    }
  });
}
