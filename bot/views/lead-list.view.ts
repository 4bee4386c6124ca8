import { InlineKeyboard } from 'grammy';
import type { Lead, ListedLead } from '../../core/index.js';
import { leadFilterShowData, leadFiltersData } from '../callback-data/lead-filters.js';
import { leadFromListData, leadsPageData } from '../callback-data/misc.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

export interface LeadListPage {
  page: number;
  items: ListedLead[];
  /** Store keys of the neighbouring pages, when there are any. */
  prevKey: string | null;
  nextKey: string | null;
  /** Store key of this page: 🔎 Filters starts from its filters, a card opened from it comes back to it. */
  ownKey: string;
  /** The active filters in words (HTML), or null when the list is not filtered. */
  filtersLine: string | null;
  /** On an unfiltered list: the filters last shown with 📋 Show, one tap away (a saved list state and its values). */
  lastFilter?: { key: string; values: string } | null;
}

const leadName = (lead: Lead): string => lead.full_name ?? lead.company ?? lead.email ?? lead.phone ?? '—';

// Button labels are plain text (no parse mode), so names need no escaping; only length matters.
/** "#12 · Olena Kovalenko · CONTACTED": one lead on a list button (/leads, /find), stage in the reader's words. */
export const leadButtonLabel = (t: Texts, lead: Lead) => `#${lead.id} · ${truncate(leadName(lead), 32)} · ${t.stages[lead.stage]}`;

/** One line per lead: who, the stage, who holds it and how long ago it came in. */
export function leadRowLine(t: Texts, lead: ListedLead): string {
  const assignee = lead.assignee_name ? escapeHtml(truncate(lead.assignee_name, 24)) : t.card.unassigned;
  return t.leads.row(lead.id, escapeHtml(truncate(leadName(lead), 40)), t.stages[lead.stage], assignee, t.time.ago(lead.created_at));
}

/**
 * /leads: the page's leads as lines (assignee and age on each) and as
 * buttons that open the card in place of the list (its 📋 comes back to
 * this page); ◀ ▶ between pages, 🔎 Filters, and the last filter again in one tap.
 */
export function renderLeadList(t: Texts, p: LeadListPage): View {
  const kb = new InlineKeyboard();
  for (const lead of p.items) kb.text(leadButtonLabel(t, lead), leadFromListData.pack({ leadId: lead.id, key: p.ownKey })).row();
  if (p.prevKey) kb.text(t.common.prev, leadsPageData.pack({ key: p.prevKey }));
  if (p.nextKey) kb.text(t.common.next, leadsPageData.pack({ key: p.nextKey }));
  kb.row().text(t.leadFilters.button, leadFiltersData.pack({ key: p.ownKey }));
  if (p.lastFilter) kb.text(t.leadFilters.again(truncate(p.lastFilter.values, 40)), leadFilterShowData.pack({ key: p.lastFilter.key }));
  const rows = p.items.length ? `\n\n${p.items.map((lead) => leadRowLine(t, lead)).join('\n')}` : '';
  const head = p.filtersLine
    ? `${p.items.length ? t.leadFilters.title(p.page) : t.leadFilters.empty}\n${p.filtersLine}`
    : p.items.length ? t.leads.title(p.page) : t.leads.empty;
  return { text: head + rows, keyboard: kb, standalone: true };
}
