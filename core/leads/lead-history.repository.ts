import { sql, type Insertable } from 'kysely';
import type { Db, LeadHistory, LeadHistoryTable } from '../database.js';
import { eventOfHistory, recordWebhookEvents } from '../webhooks/webhook-event.writer.js';

/**
 * A history row with its actor's name (null: the system, or a user since
 * removed) and, for an assignment, the new assignee's name (details.to_user_id).
 */
export type HistoryWithActor = LeadHistory & { actor_name: string | null; to_user_name: string | null };

export type HistoryEntry = Omit<Insertable<LeadHistoryTable>, 'details'> & { details?: Record<string, unknown> | null };

/**
 * Appends one row to a lead's history (§5) and, when the row is an outbound
 * event (§13, HISTORY_EVENTS), records its deliveries in the same transaction.
 */
export async function recordHistory(db: Db, entry: HistoryEntry): Promise<void> {
  await db.insertInto('lead_history')
    .values({ ...entry, details: entry.details ? JSON.stringify(entry.details) : null })
    .execute();
  const event = eventOfHistory(entry);
  if (event) await recordWebhookEvents(db, [event]);
}

/**
 * A page of a lead's history, newest first, paginated in SQL (§5), with
 * each actor's name and each new assignee's name joined in.
 * limit: rows per page (1–100); offset: rows to skip. total: all rows.
 */
export async function listHistory(
  db: Db,
  leadId: number,
  page: { limit: number; offset: number },
): Promise<{ items: HistoryWithActor[]; total: number }> {
  const limit = Math.min(Math.max(page.limit, 1), 100);
  const [items, count] = await Promise.all([
    db.selectFrom('lead_history as h').leftJoin('users as u', 'u.id', 'h.actor_user_id')
      .selectAll('h').select('u.full_name as actor_name')
      .select(sql<string | null>`(select t.full_name from users t where t.id = (h.details->>'to_user_id')::int)`.as('to_user_name'))
      .where('h.lead_id', '=', leadId)
      .orderBy('h.created_at', 'desc').orderBy('h.id', 'desc')
      .limit(limit).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('lead_history').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('lead_id', '=', leadId).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
