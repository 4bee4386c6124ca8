import { InlineKeyboard } from 'grammy';
import type { Core } from '../../core/index.js';
import { leadInputCancelData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import { backToListButton, editView, sendView, withButtonRow } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import type { Texts } from '../texts/index.js';
import { leadCardText, renderLeadCard, type View } from '../views/lead-card.view.js';
import type { CrmConversation } from './ask-text.js';

/**
 * One card per lead in a chat (issue 9): a flow that asks for input (a
 * note, a lost or rollback reason, a new field value, a file) asks on the
 * card itself — the card's buttons give way to ❌ Cancel — and ends by
 * replacing that card with a fresh one under the user's answer, or, when
 * cancelled, by drawing the card again in place. The chat never holds two
 * live copies of a card, nor a stray question message.
 */

/** Where the card a flow started on is, and the 📋 back button it carried (callback data), if any. */
export interface CardRef { leadId: number; chatId: number; messageId: number; back: string | null }

/** The card the tapped button sits on. */
export function cardRefOf(ctx: ActiveContext, leadId: number): CardRef {
  const message = ctx.callbackQuery?.message;
  return {
    leadId, chatId: ctx.chat!.id, messageId: message?.message_id ?? 0,
    back: backToListButton(message?.reply_markup)?.callback_data ?? null,
  };
}

/** The card with a question under it, and ❌ Cancel instead of its buttons. */
export function renderCardQuestion(t: Texts, text: string, leadId: number, prompt: string): View {
  return {
    text: `${text}\n\n${prompt}`,
    keyboard: new InlineKeyboard().text(t.common.cancel, leadInputCancelData.pack({ leadId })),
  };
}

/**
 * Asks `prompt` on the card (once, not again on replay). When the card can
 * no longer be edited (deleted, too old), the question goes out as a message.
 */
export async function askOnCard(
  conversation: CrmConversation, core: Core, ref: CardRef, prompt: (t: Texts) => string,
): Promise<void> {
  await conversation.external(async (ctx) => {
    const card = await core.leads.card(ctx.user, ref.leadId);
    const view = renderCardQuestion(ctx.t, leadCardText(ctx.t, card), ref.leadId, prompt(ctx.t));
    try {
      await editView(ctx.api, ref.chatId, ref.messageId, view);
    } catch (err) {
      ctx.log.warn(errorFields(err), 'bot_card_question_not_drawn');
      await ctx.reply(prompt(ctx.t), { parse_mode: 'HTML' });
    }
  });
}

/**
 * The end of a flow: the card it started on is replaced by `view` (the
 * fresh card, with the result on top) under the user's answer, where they
 * are looking. If the old card cannot be deleted, it is cut down to a
 * pointer without buttons, so it can never act on the lead again.
 */
export async function replaceCard(ctx: ActiveContext, ref: CardRef, view: View): Promise<void> {
  try {
    await ctx.api.deleteMessage(ref.chatId, ref.messageId);
  } catch (err) {
    ctx.log.info(errorFields(err), 'bot_card_not_deleted');
    await editView(ctx.api, ref.chatId, ref.messageId, { text: ctx.t.card.movedBelow(ref.leadId), keyboard: new InlineKeyboard() })
      .catch((e: unknown) => ctx.log.warn(errorFields(e), 'bot_card_redraw_failed'));
  }
  const back = ref.back ? { text: ctx.t.leads.backToList, callback_data: ref.back } : null;
  await sendView(ctx.api, ref.chatId, back ? withButtonRow(view, back) : view);
}

/** The fresh card, replacing the one the flow started on; `notice` (HTML) on top. */
export async function replaceWithCard(core: Core, ctx: ActiveContext, ref: CardRef, notice?: string): Promise<void> {
  await replaceCard(ctx, ref, renderLeadCard(ctx.t, await core.leads.card(ctx.user, ref.leadId), notice));
}

/** A cancelled flow: the card is drawn again in place, as it is now. */
export async function restoreCard(core: Core, ctx: ActiveContext, ref: CardRef): Promise<void> {
  const view = renderLeadCard(ctx.t, await core.leads.card(ctx.user, ref.leadId));
  const back = ref.back ? { text: ctx.t.leads.backToList, callback_data: ref.back } : null;
  await editView(ctx.api, ref.chatId, ref.messageId, back ? withButtonRow(view, back) : view)
    .catch((err: unknown) => ctx.log.warn(errorFields(err), 'bot_card_redraw_failed'));
}
