import { InlineKeyboard } from 'grammy';
import type { User } from '../../core/database.js';
import type { LeadAttachment } from '../../core/leads/lead-attachment.service.js';
import { leadCardData } from '../callback-data/lead.js';
import { leadFileSendData, leadFilesData, leadNotesData } from '../callback-data/lead-workflow.js';
import { escapeHtml, formatTime, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { authorLabel, pageCount } from './notes.view.js';

export const FILES_PAGE_SIZE = 5;
const NAME_MAX = 60;
/** Button labels stay short enough for a phone screen. */
const BUTTON_NAME_MAX = 32;

export interface FilesPage {
  leadId: number;
  page: number;
  items: LeadAttachment[];
  total: number;
  uploaders: ReadonlyMap<number, Pick<User, 'full_name' | 'username'>>;
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
export const fileLabel = (t: Texts, a: Pick<LeadAttachment, 'file_name' | 'kind'>): string =>
  a.file_name ?? (a.kind === 'photo' ? t.notes.photo : '—');

/**
 * 📎 Files (§5): one page, newest first, in place of the card, with a
 * button per file that has the bot send it again; ◀ ▶ page, 🗒 Notes, 📇 Card.
 */
export function renderFiles(t: Texts, p: FilesPage): View {
  const pages = pageCount(p.total, FILES_PAGE_SIZE);
  const first = (p.page - 1) * FILES_PAGE_SIZE;
  const lines = p.items.map((a, i) => t.notes.fileLine(
    first + i + 1, escapeHtml(truncate(fileLabel(t, a), NAME_MAX)), escapeHtml(a.mime_type), formatBytes(a.size_bytes),
    formatTime(a.created_at), authorLabel(t, a.uploaded_by, p.uploaders),
  ));
  const body = lines.length ? `${lines.join('\n')}\n\n${t.notes.filesHint}` : t.notes.filesEmpty;
  const kb = new InlineKeyboard();
  p.items.forEach((a, i) => {
    const icon = a.kind === 'photo' ? '🖼' : '📄';
    kb.text(`${icon} ${first + i + 1}. ${truncate(fileLabel(t, a), BUTTON_NAME_MAX)}`, leadFileSendData.pack({ attachmentId: a.id })).row();
  });
  if (p.page > 1) kb.text(t.common.prev, leadFilesData.pack({ leadId: p.leadId, page: p.page - 1 }));
  if (p.page < pages) kb.text(t.common.next, leadFilesData.pack({ leadId: p.leadId, page: p.page + 1 }));
  kb.row()
    .text(t.notes.notesButton, leadNotesData.pack({ leadId: p.leadId, page: 1 }))
    .text(t.history.card, leadCardData.pack({ leadId: p.leadId }));
  return { text: `${t.notes.filesTitle(p.leadId, Math.min(p.page, pages), pages)}\n\n${body}`, keyboard: kb };
}
