import { InlineKeyboard } from 'grammy';
import type { HistoryWithActor } from '../../core/index.js';
import { leadCardData, leadHistoryData } from '../callback-data/lead.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { authorLabel } from './lead-notes.view.js';

export const HISTORY_PAGE_SIZE = 5;

export interface HistoryPage {
  leadId: number;
  page: number;
  items: HistoryWithActor[];
  total: number;
}

function entryLine(t: Texts, h: HistoryWithActor): string {
  const actor = h.actor_user_id === null ? t.history.system : authorLabel(t, h.actor_name);
  const move = h.from_stage || h.to_stage
    ? ` ${h.from_stage ? t.stages[h.from_stage] : '∅'} → ${h.to_stage ? t.stages[h.to_stage] : '∅'}`
    : '';
  const reason = h.reason ? `\n   <i>${escapeHtml(truncate(h.reason, 300))}</i>` : '';
  return `• ${t.time.at(h.created_at)} <b>${h.action}</b>${move} · ${actor}${reason}`;
}

/** One page of history, shown in place of the card; ◀ ▶ page, 📇 returns to the card. */
export function renderHistory(t: Texts, p: HistoryPage): View {
  const pages = Math.max(1, Math.ceil(p.total / HISTORY_PAGE_SIZE));
  const body = p.items.length ? p.items.map((h) => entryLine(t, h)).join('\n') : t.history.empty;
  const kb = new InlineKeyboard();
  if (p.page > 1) kb.text(t.common.prev, leadHistoryData.pack({ leadId: p.leadId, page: p.page - 1 }));
  if (p.page < pages) kb.text(t.common.next, leadHistoryData.pack({ leadId: p.leadId, page: p.page + 1 }));
  kb.row().text(t.history.card, leadCardData.pack({ leadId: p.leadId }));
  return { text: `${t.history.title(p.leadId, Math.min(p.page, pages), pages)}\n\n${body}`, keyboard: kb };
}
