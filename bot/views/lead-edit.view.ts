import { InlineKeyboard } from 'grammy';
import { EDITABLE_LEAD_FIELDS, LEAD_FIELD_COLUMNS, type EditableLeadField, type Lead, type LeadCard } from '../../core/index.js';
import { leadCardData } from '../callback-data/lead.js';
import { leadEditFieldData } from '../callback-data/lead-edit.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { leadCardText, type View } from './lead-card.view.js';

/** The card's own label of each editable field, so the card and the editor name it alike. */
const LABEL_KEY = {
  company: 'company', position: 'position', businessDomain: 'domain', intent: 'intent',
  painPoints: 'painPoints', phone: 'phone', email: 'email',
} as const satisfies Record<EditableLeadField, keyof Texts['card']>;

export const fieldLabel = (t: Texts, field: EditableLeadField): string => t.card[LABEL_KEY[field]];

/** The field's current value for the question, escaped; "—" when empty. */
export function currentValue(t: Texts, lead: Lead, field: EditableLeadField): string {
  const value = lead[LEAD_FIELD_COLUMNS[field]];
  return value ? escapeHtml(truncate(value, 300)) : t.common.none;
}

/** ✏️ Edit: the card, "which field?", a button per editable field, ↩️ Back. */
export function renderEditFields(t: Texts, data: LeadCard): View {
  const { id: leadId, version } = data.lead;
  const kb = new InlineKeyboard();
  EDITABLE_LEAD_FIELDS.forEach((field, i) => {
    kb.text(fieldLabel(t, field), leadEditFieldData.pack({ field, leadId, version }));
    if (i % 2 === 1) kb.row();
  });
  kb.row().text(t.common.back, leadCardData.pack({ leadId }));
  return { text: `${leadCardText(t, data)}\n\n${t.edit.choose(leadId)}`, keyboard: kb };
}
