import { sql } from 'kysely';
import { ValidationError } from '../errors.js';
import type { Db, LeadNote, User } from '../database.js';
import { inTransaction } from '../transaction.js';
import { NOTE_LIMIT } from './lead.constants.js';
import { recordHistory } from './lead-history.repository.js';
import { getLeadForUser } from './lead.repository.js';
import { sanitizeText } from './lead.sanitize.js';

/**
 * Adds a note to a lead (§5): text 1–4096 characters after sanitising; a
 * longer note is refused, not cut, since the manager typed it. Writes
 * NOTE_ADDED history and touches last_activity_at.
 * Throws ValidationError('note'), NotFoundError, ForbiddenError.
 */
export async function addNote(db: Db, p: { leadId: number; actor: User; body: string }): Promise<LeadNote> {
  const body = sanitizeText(p.body, Number.MAX_SAFE_INTEGER);
  if (!body) throw new ValidationError('note', 'the note is empty');
  const length = [...body].length;
  if (length > NOTE_LIMIT) throw new ValidationError('note', `at most ${NOTE_LIMIT} characters (got ${length})`);
  return inTransaction(db, async (trx) => {
    await getLeadForUser(trx, p.leadId, p.actor);
    const note = await trx.insertInto('lead_notes').values({ lead_id: p.leadId, author_id: p.actor.id, body })
      .returningAll().executeTakeFirstOrThrow();
    await trx.updateTable('leads').set({ last_activity_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', p.leadId).execute();
    await recordHistory(trx, { lead_id: p.leadId, action: 'NOTE_ADDED', actor_user_id: p.actor.id, details: { note_id: note.id } });
    return note;
  });
}

/**
 * A page of a lead's notes, newest first, paginated in SQL (§5).
 * limit 1–50; offset ≥ 0; total counts all notes of the lead.
 */
export async function listNotes(
  db: Db, leadId: number, page: { limit: number; offset: number },
): Promise<{ items: LeadNote[]; total: number }> {
  const limit = Math.min(Math.max(page.limit, 1), 50);
  const [items, count] = await Promise.all([
    db.selectFrom('lead_notes').selectAll().where('lead_id', '=', leadId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('lead_notes').select((eb) => eb.fn.countAll<number>().as('n')).where('lead_id', '=', leadId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
