import { Composer } from 'grammy';
import { listAttachments } from '../../core/leads/lead-attachment.service.js';
import { listNotes } from '../../core/leads/lead-note.service.js';
import { getLeadForUser } from '../../core/leads/lead.repository.js';
import { leadNotesData } from '../callback-data/lead-workflow.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { loadPeople } from '../people.js';
import { NOTES_PAGE_SIZE, renderNotes } from '../views/notes.view.js';

/**
 * 🗒 Notes (§5): the lead's notes a page at a time in place of the card,
 * newest first (paginated in SQL), with author and time; the 📎 Files
 * button beside ◀ ▶ opens the sibling list of attachments.
 */
export function leadNotesFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadNotesData, db, async (ctx, data) => {
    await getLeadForUser(db, data.leadId, ctx.user);
    const page = Math.max(data.page, 1);
    const [{ items, total }, files] = await Promise.all([
      listNotes(db, data.leadId, { limit: NOTES_PAGE_SIZE, offset: (page - 1) * NOTES_PAGE_SIZE }),
      // Only the count is needed for the button; one row is the smallest page.
      listAttachments(db, data.leadId, { limit: 1, offset: 0 }),
    ]);
    const authors = await loadPeople(db, items.map((n) => n.author_id));
    await editTapped(ctx, renderNotes(ctx.t, { leadId: data.leadId, page, items, total, authors, fileCount: files.total }));
  });

  return composer;
}
