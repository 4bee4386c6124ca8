import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { withQuota } from '../security/rate-limit.js';
import { addAttachment, getAttachmentForUser, listAttachments } from './lead-attachment.service.js';
import type { AttachmentFile } from './lead-attachment.rules.js';
import { addNote, getNote, listNotes } from './lead-note.service.js';
import { getLeadForUser } from './lead.repository.js';

/** 📝 Notes (§5): add, list a page, read one in full — each checks the viewer's right to the lead. */
export function noteUseCases({ db, now }: CoreContext) {
  return {
    /** Throws ValidationError('note'), NotFoundError, ForbiddenError. */
    add: (viewer: User, p: { leadId: number; body: string }) => addNote(db, { ...p, actor: viewer, now: now() }),
    /** Newest first, with authors' names. Throws NotFoundError, ForbiddenError. */
    list: async (viewer: User, leadId: number, page: { limit: number; offset: number }) => {
      await getLeadForUser(db, leadId, viewer);
      return listNotes(db, leadId, page);
    },
    /** The whole note (a card shows its start). Throws NotFoundError('note' | 'lead'), ForbiddenError. */
    get: async (viewer: User, noteId: number) => {
      const note = await getNote(db, noteId);
      await getLeadForUser(db, note.lead_id, viewer);
      return note;
    },
  };
}

/** 📎 Attachments (§5, §16): add (5 accepted files an hour), list a page, fetch one to send again. */
export function attachmentUseCases({ db, limiter, now }: CoreContext) {
  return {
    /**
     * Attaches a file Telegram holds to a lead; only an accepted file uses
     * up the viewer's upload quota. Throws ValidationError('file'),
     * NotFoundError, ForbiddenError, RateLimitedError.
     */
    add: (viewer: User, p: { leadId: number; file: AttachmentFile }) =>
      withQuota(limiter, viewer.id, 'file_upload', () => addAttachment(db, { ...p, actor: viewer, now: now() })),
    /** Newest first, with uploaders' names. Throws NotFoundError, ForbiddenError. */
    list: async (viewer: User, leadId: number, page: { limit: number; offset: number }) => {
      await getLeadForUser(db, leadId, viewer);
      return listAttachments(db, leadId, page);
    },
    /** Throws NotFoundError('attachment' | 'lead'), ForbiddenError. */
    get: (viewer: User, attachmentId: number) => getAttachmentForUser(db, attachmentId, viewer),
  };
}
