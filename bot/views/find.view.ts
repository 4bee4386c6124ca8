import { InlineKeyboard } from 'grammy';
import { type Lead } from '../../core/index.js';
import { leadOpenData } from '../callback-data/lead.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { leadButtonLabel } from './lead-list.view.js';

/** /find results (§2): one button per lead, best match first; each opens the card. */
export function renderFindResults(t: Texts, query: string, leads: Lead[]): View {
  const shown = escapeHtml(truncate(query.trim(), 60));
  const kb = new InlineKeyboard();
  for (const lead of leads) kb.text(leadButtonLabel(t, lead), leadOpenData.pack({ leadId: lead.id })).row();
  return { text: leads.length ? t.find.results(shown) : t.find.nothing(shown), keyboard: kb };
}
