import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { leadsBackData } from './callback-data/misc.js';
import type { Core, LeadCard } from '../core/index.js';
import { setAnswer } from './callback-answer.js';
import type { ActiveContext } from './context.js';
import { renderLeadCard, type View } from './views/lead-card.view.js';

/**
 * Sending and (re)drawing messages, shared by the features, the
 * conversations and outbox delivery. A card is always core's read model
 * (core.leads.card): rights are re-checked on every load, callback data is
 * never trusted (§16).
 */

export const messageOptions = (view: View) => ({
  parse_mode: 'HTML' as const,
  reply_markup: view.keyboard,
  // Emails and form URLs on cards would otherwise unfurl into previews.
  link_preview_options: { is_disabled: true },
});

export async function sendView(api: Api, chatId: number, view: View): Promise<number> {
  const message = await api.sendMessage(chatId, view.text, messageOptions(view));
  return message.message_id;
}

/**
 * Edits a message in place. Telegram answers 400 "message is not modified"
 * when nothing changed (a cancel on an unchanged card, a double tap); that is
 * success here.
 */
export async function editView(api: Api, chatId: number, messageId: number, view: View): Promise<void> {
  try {
    await api.editMessageText(chatId, messageId, view.text, messageOptions(view));
  } catch (err) {
    if (isNotModified(err)) return;
    throw err;
  }
}

export const isNotModified = (err: unknown): boolean =>
  err instanceof GrammyError && err.error_code === 400 && err.description.includes('message is not modified');

/**
 * Redraws the message the tapped button sits on (or sends a new one if
 * Telegram no longer has it). A card opened from a list keeps its 📋 back
 * button through every redraw of that message, whatever the screen.
 */
export async function editTapped(ctx: ActiveContext, view: View): Promise<void> {
  const message = ctx.callbackQuery?.message;
  if (!message) {
    await sendView(ctx.api, ctx.chat!.id, view);
    return;
  }
  const back = view.standalone ? null : backToListButton(message.reply_markup);
  await editView(ctx.api, message.chat.id, message.message_id, back ? withButtonRow(view, back) : view);
}

/** The 📋 back-to-list button on a message, if it has one. */
export function backToListButton(markup: InlineKeyboardMarkup | undefined): InlineKeyboardButton.CallbackButton | null {
  for (const row of markup?.inline_keyboard ?? []) {
    for (const button of row) {
      if ('callback_data' in button && leadsBackData.filter.test(button.callback_data)) return button;
    }
  }
  return null;
}

/** The view with one more row of buttons at the bottom, unless it already has this very button. */
export function withButtonRow(view: View, button: InlineKeyboardButton.CallbackButton): View {
  const rows = view.keyboard.inline_keyboard;
  if (rows.some((row) => row.some((b) => 'callback_data' in b && b.callback_data === button.callback_data))) return view;
  return { ...view, keyboard: InlineKeyboard.from([...rows, [button]]) };
}

/**
 * §3: the button was drawn for an older version of the lead. Nothing is
 * applied; the card is redrawn as it is now and the tap's answer says so
 * (a message on top only when the tap can no longer be answered).
 */
export async function showLeadChanged(ctx: ActiveContext, core: Core, leadId: number): Promise<void> {
  const card = await core.leads.card(ctx.user, leadId);
  ctx.log.info({ lead_id: leadId, version: card.lead.version }, 'bot_lead_changed_meanwhile');
  const notice = ctx.t.errors.LEAD_CHANGED(leadId);
  const toasted = setAnswer(ctx, notice, { alert: false });
  await editTapped(ctx, renderLeadCard(ctx.t, card, toasted ? undefined : notice));
}

/** The card of a lead for the user of this update. Throws NotFoundError, ForbiddenError. */
export const cardFor = (ctx: ActiveContext, core: Core, leadId: number): Promise<LeadCard> => core.leads.card(ctx.user, leadId);
