import { InlineKeyboard } from 'grammy';
import type { FailedMessage, NotificationStatus } from '../../core/index.js';
import { outboxPageData, outboxRetryAllData, outboxRetryData } from '../callback-data/outbox.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { pageCount } from './lead-notes.view.js';

export const OUTBOX_PAGE_SIZE = 5;

export interface OutboxScreen {
  counts: Record<NotificationStatus, number>;
  failed: FailedMessage[];
  total: number;
  page: number;
}

/**
 * /outbox (admins): how many messages wait and how many failed, then a
 * page of failed ones — what, for whom, why — each with 🔁 to send it again,
 * and 🔁 All.
 */
export function renderOutbox(t: Texts, s: OutboxScreen, notice?: string): View {
  const pages = pageCount(s.total, OUTBOX_PAGE_SIZE);
  const first = (s.page - 1) * OUTBOX_PAGE_SIZE;
  const lines = s.failed.map((m, i) => t.outbox.line(
    first + i + 1, t.outbox.kinds[m.kind], escapeHtml(m.recipient_name ?? '—'), m.lead_id,
    m.failed_at ? t.time.at(m.failed_at) : '—', escapeHtml(truncate(m.last_error ?? '', 160)),
  ));
  const head = t.outbox.title(s.counts.pending + s.counts.sending, s.counts.failed);
  const body = lines.length ? lines.join('\n\n') : t.outbox.noFailed;
  const kb = new InlineKeyboard();
  s.failed.forEach((m, i) => kb.text(t.outbox.retry(first + i + 1), outboxRetryData.pack({ id: m.id, page: s.page })));
  if (s.failed.length) kb.row();
  if (s.page > 1) kb.text(t.common.prev, outboxPageData.pack({ page: s.page - 1 }));
  if (s.page < pages) kb.text(t.common.next, outboxPageData.pack({ page: s.page + 1 }));
  if (s.total > 1) kb.row().text(t.outbox.retryAll(s.total), outboxRetryAllData.pack({}));
  const text = `${head}\n\n${body}`;
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb };
}
