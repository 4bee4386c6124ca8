import { Composer } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { UndoExpiredError, type LeadCard, type UndoKind } from '../../core/index.js';
import { undoData } from '../callback-data/team-actions.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import { confirmTap, onCallback } from '../on-callback.js';
import type { Texts } from '../texts/index.js';
import { personLabel, renderLeadCard } from '../views/lead-card.view.js';

function undoneNotice(t: Texts, kind: UndoKind, card: LeadCard): string {
  const { lead } = card;
  switch (kind) {
    case 'lost': return t.undo.lost(lead.id, t.stages[lead.stage]);
    case 'reassign': return t.undo.reassign(lead.id, card.assignee ? personLabel(card.assignee) : t.card.unassigned);
    case 'delete': return t.undo.delete(lead.id);
  }
}

/** The message's keyboard without its ↩️ Undo button (the undo is spent or gone); null when it has none. */
function withoutUndo(markup: InlineKeyboardMarkup | undefined): InlineKeyboardMarkup | null {
  if (!markup) return null;
  const isUndo = (b: InlineKeyboardMarkup['inline_keyboard'][number][number]) =>
    'callback_data' in b && undoData.filter.test(b.callback_data ?? '');
  if (!markup.inline_keyboard.some((row) => row.some(isUndo))) return null;
  const rows = markup.inline_keyboard.map((row) => row.filter((b) => !isUndo(b))).filter((row) => row.length > 0);
  return { inline_keyboard: rows };
}

/**
 * ↩️ Undo (§3–§6) under a Lost, Reassign or Delete confirmation: core
 * checks the 30 s window, who may undo and that nothing happened since,
 * then reverts; the message becomes the card as it is now. Late: "Undo is
 * no longer available", and the button is taken off the message. Something
 * happened since: the current card (onCallback's LeadChangedError path).
 */
export function undoFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, undoData, core, async (ctx, data) => {
    let result;
    try {
      result = await core.leads.undo(ctx.user, data.token);
    } catch (err) {
      const stripped = err instanceof UndoExpiredError ? withoutUndo(ctx.callbackQuery.message?.reply_markup) : null;
      if (stripped) {
        // Best effort: the refusal the error edge sends is what the user must see.
        await ctx.editMessageReplyMarkup({ reply_markup: stripped })
          .catch((e: unknown) => ctx.log.warn(errorFields(e), 'bot_undo_button_not_removed'));
      }
      throw err;
    }
    ctx.log.info({ lead_id: result.lead.id, kind: result.kind, version: result.lead.version }, 'lead_action_undone');
    const card = await cardFor(ctx, core, result.lead.id);
    confirmTap(ctx, undoneNotice(ctx.t, result.kind, card));
    await editTapped(ctx, renderLeadCard(ctx.t, card));
  });

  return composer;
}
