import { InlineKeyboard } from 'grammy';
import type { DealHistoryWithActor } from '../../core/index.js';
import { dealCardData, dealHistoryData } from '../callback-data/deal.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { formatAmount } from './amount.view.js';
import type { View } from './lead-card.view.js';
import { HISTORY_PAGE_SIZE } from './lead-history.view.js';
import { authorLabel } from './lead-notes.view.js';

export interface DealHistoryPage { dealId: number; page: number; items: DealHistoryWithActor[]; total: number }

/** A history row's detail in the reader's words: the stage move, the amount it set, how long the deal sat. */
function entryDetail(t: Texts, h: DealHistoryWithActor): string {
  const parts: string[] = [];
  if (h.from_stage || h.to_stage) {
    parts.push(`${h.from_stage ? t.deals.stages[h.from_stage] : '∅'} → ${h.to_stage ? t.deals.stages[h.to_stage] : '∅'}`);
  }
  const minor = h.details?.amount_minor;
  const currency = h.details?.currency;
  if (typeof minor === 'number' && typeof currency === 'string') parts.push(`· ${formatAmount(t, minor, currency)}`);
  const days = h.details?.days;
  if (h.action === 'STALE_ALERT' && typeof days === 'number') parts.push(t.deals.noActivity(days));
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function entryLine(t: Texts, h: DealHistoryWithActor): string {
  const actor = h.actor_user_id === null ? t.history.system : authorLabel(t, h.actor_name);
  const reason = h.reason ? `\n   <i>${escapeHtml(truncate(h.reason, 300))}</i>` : '';
  return `• ${t.time.at(h.created_at)} <b>${t.deals.historyActions[h.action]}</b>${entryDetail(t, h)} · ${actor}${reason}`;
}

/** One page of a deal's history in place of its card; ◀ ▶ page, 💼 back to the card. */
export function renderDealHistory(t: Texts, p: DealHistoryPage): View {
  const pages = Math.max(1, Math.ceil(p.total / HISTORY_PAGE_SIZE));
  const body = p.items.length ? p.items.map((h) => entryLine(t, h)).join('\n') : t.history.empty;
  const kb = new InlineKeyboard();
  if (p.page > 1) kb.text(t.common.prev, dealHistoryData.pack({ dealId: p.dealId, page: p.page - 1 }));
  if (p.page < pages) kb.text(t.common.next, dealHistoryData.pack({ dealId: p.dealId, page: p.page + 1 }));
  kb.row().text(t.deals.buttons.card, dealCardData.pack({ dealId: p.dealId }));
  return { text: `${t.deals.historyTitle(p.dealId, Math.min(p.page, pages), pages)}\n\n${body}`, keyboard: kb };
}
