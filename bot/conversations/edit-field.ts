import type { Context } from 'grammy';
import {
  DuplicateLeadError, LeadChangedError, TEXT_LIMIT, ValidationError, type Core, type EditableLeadField,
} from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import { escapeHtml, truncate } from '../html.js';
import { errorFields } from '../log-fields.js';
import { errorText } from '../texts/errors.js';
import type { Texts } from '../texts/index.js';
import { fieldLabel } from '../views/lead-edit.view.js';
import { askText, type AskOn, type CrmConversation } from './ask-text.js';
import { replaceWithCard, restoreCard, type CardRef } from './card-question.js';

export const EDIT_FIELD_CONVERSATION = 'editField';

/** "-" alone clears the field. */
const CLEAR = '-';

export type EditFieldArgs = CardRef & {
  field: EditableLeadField;
  /** The version of the card the field was chosen on: a change meanwhile refuses the save. */
  version: number;
  /** The value when the field was chosen (raw), shown in the question. */
  current: string | null;
};

/**
 * ✏️ Edit → a field (§2, §4): asks for the new value ("-" clears it,
 * /cancel leaves) and saves it through core with the card's version. An
 * invalid phone or email, a contact another lead has, or clearing the last
 * contact is explained and asked again; a lead changed meanwhile ends the
 * conversation with the current card and nothing written.
 */
export function editFieldConversation(core: Core) {
  return async function editField(conversation: CrmConversation, _ctx: Context, args: EditFieldArgs): Promise<void> {
    let prompt = (t: Texts) => t.edit.ask(
      args.leadId, fieldLabel(t, args.field), args.current ? escapeHtml(truncate(args.current, 300)) : t.common.none);
    const on: AskOn = { core, ref: args };
    for (;;) {
      const text = await askText(conversation, prompt, { min: 1, max: TEXT_LIMIT, on });
      if (text === null) return;
      const value = text === CLEAR ? null : text;
      const retry = await conversation.external((ctx) => saveField(core, ctx, args, value));
      if (retry === null) return;
      // Asked again as a reply: the card above still shows the question.
      prompt = () => retry;
      on.asked = true;
    }
  };
}

/**
 * Saves the value; returns the text to ask again with when the value was
 * refused in a way the user can fix, else null (done: saved, or ended with
 * a message). Domain errors are turned into words here, inside external().
 */
async function saveField(core: Core, ctx: ActiveContext, args: EditFieldArgs, value: string | null): Promise<string | null> {
  const t = ctx.t;
  const label = fieldLabel(t, args.field);
  try {
    const { lead, changed } = await core.leads.updateFields(ctx.user, {
      leadId: args.leadId, expectedVersion: args.version, changes: { [args.field]: value },
    });
    // Field names only: values may be phones and emails, which stay out of logs.
    ctx.log.info({ lead_id: lead.id, fields: changed, version: lead.version }, 'lead_fields_updated');
    await replaceWithCard(core, ctx, args, changed.length ? t.edit.saved(lead.id, label) : t.edit.unchanged(lead.id, label));
    return null;
  } catch (err) {
    if (err instanceof ValidationError && err.field === 'phone') return t.edit.invalidPhone;
    if (err instanceof ValidationError && err.field === 'email') return t.edit.invalidEmail;
    if (err instanceof ValidationError && err.field === 'contact') return t.edit.needsContact;
    if (err instanceof DuplicateLeadError) return t.edit.duplicate(err.existingLeadId);
    if (err instanceof LeadChangedError) {
      ctx.log.info({ lead_id: args.leadId, field: args.field }, 'bot_lead_changed_meanwhile');
      await replaceWithCard(core, ctx, args, t.edit.changed(args.leadId));
      return null;
    }
    const text = errorText(t, err);
    if (text === null) throw err;
    ctx.log.info({ code: (err as { code?: string }).code }, 'bot_domain_error');
    await restoreCard(core, ctx, args).catch((e: unknown) => ctx.log.info(errorFields(e), 'bot_card_not_restored'));
    await ctx.reply(text, { parse_mode: 'HTML' });
    return null;
  }
}
