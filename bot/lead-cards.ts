import { GrammyError, type Api } from 'grammy';
import type { Db, Lead, User } from '../core/database.js';
import { NotFoundError } from '../core/errors.js';
import { getLeadForUser } from '../core/leads/lead.repository.js';
import { availableActions } from '../core/leads/lead.pipeline.js';
import { getUser } from '../core/users/user.service.js';
import type { ActiveContext } from './context.js';
import { renderLeadCard, type LeadCardData, type View } from './views/lead-card.view.js';

/**
 * Loading and (re)drawing lead cards, shared by the features, the
 * conversations and notification delivery. Rights are re-checked on every
 * load (getLeadForUser): callback data is never trusted (§16).
 */

export async function cardDataFor(db: Db, lead: Lead, viewer: User): Promise<LeadCardData> {
  const assignee = lead.assigned_to === null ? null : await getUser(db, lead.assigned_to).catch(notFoundAsNull);
  return { lead, assignee, actions: availableActions(lead, viewer) };
}

/** Throws NotFoundError / ForbiddenError like getLeadForUser. */
export async function loadCardData(db: Db, leadId: number, viewer: User): Promise<LeadCardData> {
  return cardDataFor(db, await getLeadForUser(db, leadId, viewer), viewer);
}

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

/** A user deleted from under a card shows as nobody; any other failure still propagates. */
export function notFoundAsNull(err: unknown): null {
  if (err instanceof NotFoundError) return null;
  throw err;
}

export const isNotModified = (err: unknown): boolean =>
  err instanceof GrammyError && err.error_code === 400 && err.description.includes('message is not modified');

/** Redraws the message the tapped button sits on (or sends a new one if Telegram no longer has it). */
export async function editTapped(ctx: ActiveContext, view: View): Promise<void> {
  const message = ctx.callbackQuery?.message;
  if (!message) {
    await sendView(ctx.api, ctx.chat!.id, view);
    return;
  }
  await editView(ctx.api, message.chat.id, message.message_id, view);
}

/**
 * §3: the button was drawn for an older version of the lead. Nothing is
 * applied; the card is redrawn as it is now, with the notice on top.
 */
export async function showLeadChanged(ctx: ActiveContext, db: Db, leadId: number): Promise<void> {
  const data = await loadCardData(db, leadId, ctx.user);
  ctx.log.info({ lead_id: leadId, version: data.lead.version }, 'bot_lead_changed_meanwhile');
  await editTapped(ctx, renderLeadCard(ctx.t, data, ctx.t.errors.LEAD_CHANGED(leadId)));
}
