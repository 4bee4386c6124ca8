import type { Db, LeadScore, User } from '../database.js';
import { getLeadForUser } from '../leads/lead.repository.js';

/**
 * A lead's score history (§7), newest first, for a viewer who may see the
 * lead: one offset page (limit 1–100) and the count of every score.
 * Throws NotFoundError('lead'), ForbiddenError.
 */
export async function listScoreHistory(
  db: Db, viewer: User, leadId: number, page: { limit: number; offset: number },
): Promise<{ items: LeadScore[]; total: number }> {
  await getLeadForUser(db, leadId, viewer);
  const [items, count] = await Promise.all([
    db.selectFrom('lead_scores').selectAll().where('lead_id', '=', leadId)
      .orderBy('id', 'desc').limit(Math.min(Math.max(page.limit, 1), 100)).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('lead_scores').select((eb) => eb.fn.countAll<number>().as('n')).where('lead_id', '=', leadId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
