import { InlineKeyboard } from 'grammy';
import type { AttachmentWithUploader, LeadAttachment } from '../../core/index.js';
import { leadCardData } from '../callback-data/lead.js';
import { attachmentSendData, attachmentsPageData } from '../callback-data/lead-attachment.js';
import { notesPageData } from '../callback-data/lead-note.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { authorLabel, pageCount } from './lead-notes.view.js';

export const ATTACHMENTS_PAGE_SIZE = 5;
const NAME_MAX = 60;
/** Button labels stay short enough for a phone screen. */
const BUTTON_NAME_MAX = 32;

export interface AttachmentsPage {
  leadId: number;
  page: number;
  items: AttachmentWithUploader[];
  total: number;
}

/** 1536 → "1.5 KB"; binary units, like Telegram's own 10 MB limit. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A file's name as people see it: its own name, or "photo". Not escaped. */
export const attachmentLabel = (t: Texts, a: Pick<LeadAttachment, 'file_name' | 'kind'>): string =>
  a.file_name ?? (a.kind === 'photo' ? t.attachments.photo : '—');

/**
 * 📎 Files (§5): one page, newest first, in place of the card, with a
 * button per file that has the bot send it again; ◀ ▶ page, 🗒 Notes, 📇 Card.
 */
export function renderAttachments(t: Texts, p: AttachmentsPage): View {
  const pages = pageCount(p.total, ATTACHMENTS_PAGE_SIZE);
  const first = (p.page - 1) * ATTACHMENTS_PAGE_SIZE;
  const lines = p.items.map((a, i) => t.attachments.line(
    first + i + 1, escapeHtml(truncate(attachmentLabel(t, a), NAME_MAX)), escapeHtml(a.mime_type), formatBytes(a.size_bytes),
    t.time.at(a.created_at), authorLabel(t, a.uploader_name),
  ));
  const body = lines.length ? `${lines.join('\n')}\n\n${t.attachments.hint}` : t.attachments.empty;
  const kb = new InlineKeyboard();
  p.items.forEach((a, i) => {
    const icon = a.kind === 'photo' ? '🖼' : '📄';
    kb.text(`${icon} ${first + i + 1}. ${truncate(attachmentLabel(t, a), BUTTON_NAME_MAX)}`, attachmentSendData.pack({ attachmentId: a.id })).row();
  });
  if (p.page > 1) kb.text(t.common.prev, attachmentsPageData.pack({ leadId: p.leadId, page: p.page - 1 }));
  if (p.page < pages) kb.text(t.common.next, attachmentsPageData.pack({ leadId: p.leadId, page: p.page + 1 }));
  kb.row()
    .text(t.attachments.notesButton, notesPageData.pack({ leadId: p.leadId, page: 1 }))
    .text(t.history.card, leadCardData.pack({ leadId: p.leadId }));
  return { text: `${t.attachments.title(p.leadId, Math.min(p.page, pages), pages)}\n\n${body}`, keyboard: kb };
}
