import { sql } from 'kysely';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Db, Lead, LeadNote, User } from '../database.js';
import { inTransaction } from '../transaction.js';
import { NOTE_LIMIT, type SystemNoteCode } from './lead.constants.js';
import { recordHistory } from './lead-history.repository.js';
import { lockLead } from './lead-row.lock.js';
import { sanitizeText } from './lead.sanitize.js';
import { noticeLeadChange } from '../notices/lead-change-notice.service.js';

export type NoteWithAuthor = LeadNote & { author_name: string | null };

/** Sanitised note text; throws ValidationError('note') when empty or over 4096 characters. */
function noteBody(raw: string): string {
  const body = sanitizeText(raw, Number.MAX_SAFE_INTEGER);
  if (!body) throw new ValidationError('note', 'the note is empty');
  const length = [...body].length;
  // Refused, not cut: the manager typed it and would lose the end silently.
  if (length > NOTE_LIMIT) throw new ValidationError('note', `at most ${NOTE_LIMIT} characters (got ${length})`);
  return body;
}

/**
 * Locks the lead, checks the actor's right (and the version, if given), then
 * stores the note, touches last_activity_at and writes NOTE_ADDED history;
 * the assignee is told when it is someone else's note (noticeLeadChange).
 * bumpVersion: the note changes what a card offers (a logged contact).
 */
async function writeNote(
  db: Db,
  p: {
    leadId: number; actor: User; body: string; systemCode?: SystemNoteCode;
    expectedVersion?: number; bumpVersion: boolean; kind: 'note' | 'contact'; now?: Date;
  },
): Promise<{ lead: Lead; note: LeadNote }> {
  return inTransaction(db, async (trx) => {
    await lockLead(trx, p.leadId, { deleted: false, viewer: p.actor, expectedVersion: p.expectedVersion });
    const note = await trx.insertInto('lead_notes').values({ lead_id: p.leadId, author_id: p.actor.id, body: p.body, system_code: p.systemCode ?? null })
      .returningAll().executeTakeFirstOrThrow();
    const lead = await trx.updateTable('leads')
      .set({
        last_activity_at: sql`now()`, updated_at: sql`now()`,
        ...(p.bumpVersion ? { version: sql<number>`version + 1` } : {}),
      })
      .where('id', '=', p.leadId).returningAll().executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: p.leadId, action: 'NOTE_ADDED', actor_user_id: p.actor.id, details: { note_id: note.id, kind: p.kind },
    });
    await noticeLeadChange(trx, {
      lead, actorId: p.actor.id, change: { action: p.kind === 'note' ? 'note_added' : 'contact_logged' }, now: p.now,
    });
    return { lead, note };
  });
}

/**
 * Adds a note to a lead (§5): text 1–4096 characters after sanitising.
 * Writes NOTE_ADDED history and touches last_activity_at.
 * Throws ValidationError('note'), NotFoundError, ForbiddenError.
 */
export async function addNote(db: Db, p: { leadId: number; actor: User; body: string; now?: Date }): Promise<LeadNote> {
  const body = noteBody(p.body);
  return (await writeNote(db, { ...p, body, bumpVersion: false, kind: 'note' })).note;
}

/**
 * Logs that the user contacted the lead without a stage change (the answer
 * to a stale-lead alert, §10): a system note ('stale_contact', rendered in
 * each reader's language), activity touched so the lead is no longer
 * stale, and the version bumped, so a second tap on the same button is
 * refused like any stale action.
 * Throws LeadChangedError (version moved on), NotFoundError, ForbiddenError.
 */
export async function logContact(
  db: Db, p: { leadId: number; actor: User; expectedVersion: number; now?: Date },
): Promise<Lead> {
  return (await writeNote(db, { ...p, body: '', systemCode: 'stale_contact', bumpVersion: true, kind: 'contact' })).lead;
}

/**
 * A page of a lead's notes, newest first, paginated in SQL (§5), each with
 * its author's name (one join, not a look-up per note).
 * limit 1–50; offset ≥ 0; total counts all notes of the lead. Rights are
 * the caller's.
 */
export async function listNotes(
  db: Db, leadId: number, page: { limit: number; offset: number },
): Promise<{ items: NoteWithAuthor[]; total: number }> {
  const limit = Math.min(Math.max(page.limit, 1), 50);
  const [items, count] = await Promise.all([
    db.selectFrom('lead_notes as n').leftJoin('users as u', 'u.id', 'n.author_id')
      .selectAll('n').select('u.full_name as author_name').where('n.lead_id', '=', leadId)
      .orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(limit).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('lead_notes').select((eb) => eb.fn.countAll<number>().as('n')).where('lead_id', '=', leadId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * One note in full, with its author's name (a card shows only its start).
 * Rights are the caller's. Throws NotFoundError('note').
 */
export async function getNote(db: Db, noteId: number): Promise<NoteWithAuthor> {
  const note = await db.selectFrom('lead_notes as n').leftJoin('users as u', 'u.id', 'n.author_id')
    .selectAll('n').select('u.full_name as author_name').where('n.id', '=', noteId).executeTakeFirst();
  if (!note) throw new NotFoundError('note', noteId);
  return note;
}
