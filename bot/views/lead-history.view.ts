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

const detail = (h: HistoryWithActor, key: string): unknown => h.details?.[key];

/**
 * What a history row says beyond its action, in the reader's words: the
 * stage move, who got the lead and why, how long it sat, which fields
 * changed (names only: values may be contacts), the file. Core stores
 * codes and ids (§5); the words are made here.
 */
function entryDetail(t: Texts, h: HistoryWithActor): string {
  const parts: string[] = [];
  if (h.from_stage || h.to_stage) {
    parts.push(`${h.from_stage ? t.stages[h.from_stage] : '∅'} → ${h.to_stage ? t.stages[h.to_stage] : '∅'}`);
  }
  switch (h.action) {
    case 'ASSIGNED': {
      const to = detail(h, 'to_user_id');
      parts.push(to ? t.history.assignedTo(escapeHtml(h.to_user_name ?? `#${String(to)}`)) : t.history.unassigned);
      const by = t.history.assignedBy[String(detail(h, 'by'))];
      if (by) parts.push(`(${by})`);
      break;
    }
    case 'NURTURE': {
      const days = detail(h, 'days');
      if (typeof days === 'number') parts.push(t.history.noActivity(days));
      break;
    }
    case 'FIELDS_UPDATED': {
      const names = Object.keys(h.details ?? {}).map((column) => t.history.fieldNames[column] ?? column);
      if (names.length) parts.push(names.join(', '));
      break;
    }
    case 'ATTACHMENT_ADDED': {
      const name = detail(h, 'file_name');
      parts.push(typeof name === 'string' ? escapeHtml(truncate(name, 80)) : t.attachments.photo);
      break;
    }
    case 'NOTE_ADDED':
      if (detail(h, 'kind') === 'contact') parts.push(t.history.contact);
      break;
    case 'ESCALATED': {
      const rung = detail(h, 'rung');
      const cause = detail(h, 'cause');
      if (typeof rung === 'number' && (cause === 'sla' || cause === 'stale')) parts.push(t.followups.historyRung(rung, cause));
      break;
    }
    default:
      break;
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}

function entryLine(t: Texts, h: HistoryWithActor): string {
  const actor = h.actor_user_id === null ? t.history.system : authorLabel(t, h.actor_name);
  const reasonText = h.reason_code ? t.lostReasons[h.reason_code] : h.reason;
  const reason = reasonText ? `\n   <i>${escapeHtml(truncate(reasonText, 300))}</i>` : '';
  return `• ${t.time.at(h.created_at)} <b>${t.historyActions[h.action]}</b>${entryDetail(t, h)} · ${actor}${reason}`;
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
