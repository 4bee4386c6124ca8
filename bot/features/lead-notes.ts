import { Composer } from 'grammy';
import { noteOpenData, notesPageData } from '../callback-data/lead-note.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { authorLabel, fullTextMessages, NOTES_PAGE_SIZE, renderNotes } from '../views/lead-notes.view.js';
import { noteText } from '../views/stored-words.js';

/**
 * 🗒 Notes (§5): the lead's notes a page at a time in place of the card,
 * newest first (paginated in SQL), with author and time; 📄 opens one note
 * in full (as several messages when it is longer than one can hold); the
 * 📎 Files button beside ◀ ▶ opens the sibling list of attachments.
 */
export function leadNotesFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, notesPageData, core, async (ctx, data) => {
    const page = Math.max(data.page, 1);
    const [{ items, total }, card] = await Promise.all([
      core.notes.list(ctx.user, data.leadId, { limit: NOTES_PAGE_SIZE, offset: (page - 1) * NOTES_PAGE_SIZE }),
      cardFor(ctx, core, data.leadId),
    ]);
    await editTapped(ctx, renderNotes(ctx.t, { leadId: data.leadId, page, items, total, attachmentCount: card.attachmentCount }));
  });

  onCallback(composer, noteOpenData, core, async (ctx, data) => {
    const note = await core.notes.get(ctx.user, data.noteId);
    const heading = ctx.t.notes.full(note.lead_id, ctx.t.time.at(note.created_at), authorLabel(ctx.t, note.author_name));
    for (const text of fullTextMessages(heading, noteText(ctx.t, note))) await ctx.reply(text, { parse_mode: 'HTML' });
  });

  return composer;
}
