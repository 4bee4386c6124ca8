import { Composer } from 'grammy';
import { ForbiddenError } from '../../core/errors.js';
import { LEAD_FIELD_COLUMNS } from '../../core/leads/lead-fields.service.js';
import { leadEditData, leadEditFieldData } from '../callback-data/lead-workflow.js';
import type { ActiveContext } from '../context.js';
import { EDIT_FIELD_CONVERSATION, type EditFieldArgs } from '../conversations/edit-field.js';
import type { BotDeps } from '../deps.js';
import { editTapped, loadCardData } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
import { renderEditFields } from '../views/lead-edit.view.js';

/**
 * ✏️ Edit (§2): the card offers the editable fields as buttons; choosing
 * one asks for the new value in a conversation. Both steps refuse a stale
 * card (the lead changed since it was drawn) by redrawing it instead.
 */
export function leadEditFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadEditData, db, async (ctx, data) => {
    const card = await loadCardData(db, data.leadId, ctx.user);
    assertCardFresh(card.lead, data.version);
    // Core refuses the save too; this spares the user typing a value for a closed lead.
    if (!card.actions.includes('edit')) throw new ForbiddenError(`Lead #${card.lead.id} cannot be edited`);
    await editTapped(ctx, renderEditFields(ctx.t, card));
  });

  onCallback(composer, leadEditFieldData, db, async (ctx, data) => {
    const { lead, actions } = await loadCardData(db, data.leadId, ctx.user);
    assertCardFresh(lead, data.version);
    if (!actions.includes('edit')) throw new ForbiddenError(`Lead #${lead.id} cannot be edited`);
    const args: EditFieldArgs = {
      leadId: lead.id, field: data.field, version: lead.version, current: lead[LEAD_FIELD_COLUMNS[data.field]],
      chatId: ctx.chat!.id, messageId: ctx.callbackQuery.message?.message_id ?? 0,
    };
    // A new question replaces whatever the user left unfinished.
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(EDIT_FIELD_CONVERSATION, args);
  });

  return composer;
}
