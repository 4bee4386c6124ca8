import { InlineKeyboard } from 'grammy';
import type { NoteWithAuthor } from '../../core/index.js';
import { leadCardData } from '../callback-data/lead.js';
import { attachmentsPageData } from '../callback-data/lead-attachment.js';
import { noteOpenData, notesPageData } from '../callback-data/lead-note.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';
import { noteText } from './stored-words.js';

export const NOTES_PAGE_SIZE = 5;
/** Five notes of up to 4096 characters would not fit one message; each shows its first part here. */
const NOTE_PREVIEW = 600;
/** Telegram's limit for one message, in characters. */
export const MESSAGE_MAX = 4096;

export interface NotesPage {
  leadId: number;
  page: number;
  items: NoteWithAuthor[];
  total: number;
  /** How many files the lead has: the 📎 button says it. */
  attachmentCount: number;
}

export const pageCount = (total: number, size: number): number => Math.max(1, Math.ceil(total / size));

/** Who wrote or uploaded something: their name, or "system" for the CRM itself. Escaped. */
export const authorLabel = (t: Texts, name: string | null): string => (name ? escapeHtml(name) : t.history.system);

/**
 * 🗒 Notes (§5): one page, newest first, each with its time and author, in
 * place of the card; a note longer than its preview gets a 📄 button that
 * shows it whole; ◀ ▶ page, 📎 Files opens the sibling list, 📇 back to the card.
 */
export function renderNotes(t: Texts, p: NotesPage): View {
  const pages = pageCount(p.total, NOTES_PAGE_SIZE);
  const first = (p.page - 1) * NOTES_PAGE_SIZE;
  const long = p.items.filter((n) => n.body.length > NOTE_PREVIEW);
  const body = p.items.length
    ? p.items.map((n, i) => {
      const text = escapeHtml(truncate(noteText(t, n), NOTE_PREVIEW));
      const more = n.body.length > NOTE_PREVIEW ? `\n${t.notes.more}` : '';
      return t.notes.line(`${first + i + 1}. ${t.time.at(n.created_at)}`, authorLabel(t, n.author_name), text + more);
    }).join('\n\n')
    : t.notes.empty;
  const kb = new InlineKeyboard();
  for (const n of long) kb.text(t.notes.open(first + p.items.indexOf(n) + 1), noteOpenData.pack({ noteId: n.id }));
  if (long.length) kb.row();
  if (p.page > 1) kb.text(t.common.prev, notesPageData.pack({ leadId: p.leadId, page: p.page - 1 }));
  if (p.page < pages) kb.text(t.common.next, notesPageData.pack({ leadId: p.leadId, page: p.page + 1 }));
  kb.row()
    .text(t.attachments.listButton(p.attachmentCount), attachmentsPageData.pack({ leadId: p.leadId, page: 1 }))
    .text(t.history.card, leadCardData.pack({ leadId: p.leadId }));
  return { text: `${t.notes.title(p.leadId, Math.min(p.page, pages), pages)}\n\n${body}`, keyboard: kb };
}

/**
 * A long text read in full (a note, a lead's intent): as many messages as
 * Telegram's 4096 characters need, the heading on the first; each part is
 * cut where its escaped form fills the message, at a line break when one is
 * near, never inside a character. Returns the message texts (HTML).
 */
export function fullTextMessages(heading: string, text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let room = MESSAGE_MAX - heading.length - 2;
  for (const char of text) {
    const escaped = escapeHtml(char);
    if (current.length + escaped.length > room) {
      // Prefer to end a part at a line break in its last quarter.
      const newline = current.lastIndexOf('\n');
      const cut = newline > room * 0.75 ? newline + 1 : current.length;
      parts.push(current.slice(0, cut));
      current = current.slice(cut);
      room = MESSAGE_MAX;
    }
    current += escaped;
  }
  parts.push(current);
  parts[0] = `${heading}\n\n${parts[0]}`;
  return parts;
}
