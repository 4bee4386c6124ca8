import { InlineKeyboard } from 'grammy';
import type { LeadNote, User } from '../../core/database.js';
import { leadCardData } from '../callback-data/lead.js';
import { leadFilesData, leadNotesData } from '../callback-data/lead-workflow.js';
import { escapeHtml, formatTime, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { personLabel, type View } from './lead-card.view.js';

export const NOTES_PAGE_SIZE = 5;
/** Five notes of up to 4096 characters would not fit one message; each shows its first part here. */
const NOTE_PREVIEW = 600;

export interface NotesPage {
  leadId: number;
  page: number;
  items: LeadNote[];
  total: number;
  /** Authors of this page's notes, by id. */
  authors: ReadonlyMap<number, Pick<User, 'full_name' | 'username'>>;
  /** How many files the lead has: the 📎 button says it. */
  fileCount: number;
}

export const pageCount = (total: number, size: number): number => Math.max(1, Math.ceil(total / size));

export function authorLabel(t: Texts, id: number | null, people: NotesPage['authors']): string {
  if (id === null) return t.history.system;
  const person = people.get(id);
  return person ? personLabel(person) : `#${id}`;
}

/**
 * 🗒 Notes (§5): one page, newest first, each with its time and author, in
 * place of the card; ◀ ▶ page, 📎 Files opens the sibling list, 📇 back to the card.
 */
export function renderNotes(t: Texts, p: NotesPage): View {
  const pages = pageCount(p.total, NOTES_PAGE_SIZE);
  const body = p.items.length
    ? p.items.map((n) => t.notes.line(
      formatTime(n.created_at), authorLabel(t, n.author_id, p.authors), escapeHtml(truncate(n.body, NOTE_PREVIEW)),
    )).join('\n\n')
    : t.notes.empty;
  const kb = new InlineKeyboard();
  if (p.page > 1) kb.text(t.common.prev, leadNotesData.pack({ leadId: p.leadId, page: p.page - 1 }));
  if (p.page < pages) kb.text(t.common.next, leadNotesData.pack({ leadId: p.leadId, page: p.page + 1 }));
  kb.row()
    .text(t.notes.filesButton(p.fileCount), leadFilesData.pack({ leadId: p.leadId, page: 1 }))
    .text(t.history.card, leadCardData.pack({ leadId: p.leadId }));
  return { text: `${t.notes.title(p.leadId, Math.min(p.page, pages), pages)}\n\n${body}`, keyboard: kb };
}
