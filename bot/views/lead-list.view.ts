import { InlineKeyboard } from 'grammy';
import { type Lead } from '../../core/index.js';
import { leadFiltersData } from '../callback-data/lead-filters.js';
import { leadOpenData } from '../callback-data/lead.js';
import { leadsPageData } from '../callback-data/misc.js';
import { truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

export interface LeadListPage {
  page: number;
  items: Lead[];
  /** Store keys of the neighbouring pages, when there are any. */
  prevKey: string | null;
  nextKey: string | null;
  /** Store key of this page: 🔎 Filters starts from its filters. */
  ownKey: string;
  /** The active filters in words (HTML), or null when the list is not filtered. */
  filtersLine: string | null;
}

// Button labels are plain text (no parse mode), so names need no escaping; only length matters.
/** "#12 · Olena Kovalenko · NEW": one lead on a list button (/leads, /find). */
export const leadButtonLabel = (lead: Lead) =>
  `#${lead.id} · ${truncate(lead.full_name ?? lead.company ?? lead.email ?? lead.phone ?? '—', 32)} · ${lead.stage}`;

/** /leads: one button per lead (opens its card), ◀ ▶ between pages, 🔎 Filters. */
export function renderLeadList(t: Texts, p: LeadListPage): View {
  const kb = new InlineKeyboard();
  for (const lead of p.items) kb.text(leadButtonLabel(lead), leadOpenData.pack({ leadId: lead.id })).row();
  if (p.prevKey) kb.text(t.common.prev, leadsPageData.pack({ key: p.prevKey }));
  if (p.nextKey) kb.text(t.common.next, leadsPageData.pack({ key: p.nextKey }));
  kb.row().text(t.leadFilters.button, leadFiltersData.pack({ key: p.ownKey }));
  if (!p.filtersLine) return { text: p.items.length ? t.leads.title(p.page) : t.leads.empty, keyboard: kb };
  const head = p.items.length ? t.leadFilters.title(p.page) : t.leadFilters.empty;
  return { text: `${head}\n${p.filtersLine}`, keyboard: kb };
}
