import { sql } from 'kysely';
import type { Db, User } from '../database.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { countOpenLeads } from '../leads/assignment.service.js';

/**
 * /off and /on (§4): an active user marks themselves away or back. While
 * away, automatic assignment (pickAssignee) skips them and new leads go to
 * others; the leads they already hold stay theirs. Idempotent.
 * Returns the user and their current load (open leads still theirs).
 * Throws NotFoundError('user'), ForbiddenError when the user is not active.
 */
export async function setAvailability(
  db: Db, userId: number, available: boolean,
): Promise<{ user: User; openLeads: number }> {
  const user = await db.updateTable('users')
    .set({ is_available: available, updated_at: sql`now()` })
    .where('id', '=', userId).where('status', '=', 'active')
    .returningAll().executeTakeFirst();
  if (!user) {
    const exists = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!exists) throw new NotFoundError('user', userId);
    throw new ForbiddenError('Your access is not active');
  }
  return { user, openLeads: await countOpenLeads(db, userId) };
}
