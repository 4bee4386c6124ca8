import { Composer } from 'grammy';
import { ForbiddenError, LEAD_FIELD_COLUMNS } from '../../core/index.js';
import { leadEditData, leadEditFieldData, leadTextData } from '../callback-data/lead-edit.js';
import type { ActiveContext } from '../context.js';
import { cardRefOf } from '../conversations/card-question.js';
import { EDIT_FIELD_CONVERSATION, type EditFieldArgs } from '../conversations/edit-field.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
import { fieldLabel, renderEditFields } from '../views/lead-edit.view.js';
import { fullTextMessages } from '../views/lead-notes.view.js';

/**
 * ✏️ Edit (§2): the card offers the editable fields as buttons; choosing
 * one asks for the new value in a conversation. Both steps refuse a stale
 * card (the lead changed since it was drawn) by redrawing it instead.
 * 📄 shows a long field (intent, pain points) in full.
 */
export function leadEditFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadEditData, core, async (ctx, data) => {
    const card = await cardFor(ctx, core, data.leadId);
    assertCardFresh(card.lead, data.version);
    // Core refuses the save too; this spares the user typing a value for a closed lead.
    if (!card.actions.includes('edit')) throw new ForbiddenError(`Lead #${card.lead.id} cannot be edited`);
    await editTapped(ctx, renderEditFields(ctx.t, card));
  });

  onCallback(composer, leadEditFieldData, core, async (ctx, data) => {
    const { lead, actions } = await cardFor(ctx, core, data.leadId);
    assertCardFresh(lead, data.version);
    if (!actions.includes('edit')) throw new ForbiddenError(`Lead #${lead.id} cannot be edited`);
    const args: EditFieldArgs = {
      ...cardRefOf(ctx, lead.id), field: data.field, version: lead.version, current: lead[LEAD_FIELD_COLUMNS[data.field]],
    };
    // A new question replaces whatever the user left unfinished.
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(EDIT_FIELD_CONVERSATION, args);
  });

  onCallback(composer, leadTextData, core, async (ctx, data) => {
    const { lead } = await cardFor(ctx, core, data.leadId);
    const text = lead[LEAD_FIELD_COLUMNS[data.field]];
    if (!text) return;
    const heading = `${ctx.t.card.title(lead.id)} · <b>${fieldLabel(ctx.t, data.field)}</b>`;
    for (const part of fullTextMessages(heading, text)) await ctx.reply(part, { parse_mode: 'HTML' });
  });

  return composer;
}
