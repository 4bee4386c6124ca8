import { sql } from 'kysely';
import { assertCan } from '../access/access-policy.js';
import type { Db, Notification, NotificationStatus, User } from '../database.js';
import { NotFoundError } from '../errors.js';

/** A failed message as admins see it: what, for whom, why, since when. */
export type FailedMessage = Pick<Notification,
  'id' | 'kind' | 'lead_id' | 'attempts' | 'last_error' | 'queued_at' | 'failed_at' | 'correlation_id'>
  & { recipient_name: string | null };

/**
 * Counts of the outbox by status (admins): how much waits, how much failed.
 * Throws ForbiddenError.
 */
export async function outboxCounts(db: Db, viewer: User): Promise<Record<NotificationStatus, number>> {
  assertCan(viewer, 'outbox.manage');
  const rows = await db.selectFrom('notifications').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '<>', 'sent').groupBy('status').execute();
  const counts: Record<NotificationStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/**
 * Failed messages, most recent failure first, offset pages (limit 1–50).
 * Throws ForbiddenError.
 */
export async function listFailedMessages(
  db: Db, viewer: User, page: { limit: number; offset: number },
): Promise<{ items: FailedMessage[]; total: number }> {
  assertCan(viewer, 'outbox.manage');
  const limit = Math.min(Math.max(page.limit, 1), 50);
  const [items, count] = await Promise.all([
    db.selectFrom('notifications as n').leftJoin('users as u', 'u.id', 'n.recipient_user_id')
      .select(['n.id', 'n.kind', 'n.lead_id', 'n.attempts', 'n.last_error', 'n.queued_at', 'n.failed_at',
        'n.correlation_id', 'u.full_name as recipient_name'])
      .where('n.status', '=', 'failed')
      .orderBy('n.failed_at', 'desc').orderBy('n.id', 'desc').limit(limit).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'failed').executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * An admin sends failed messages again: one by id, or all of them. They go
 * back to the queue with a fresh delivery window (queued_at now) and are
 * rendered from the current state when delivered. Returns how many were
 * requeued. Throws ForbiddenError, NotFoundError('notification') for an id
 * that is not a failed message.
 */
export async function retryFailedMessages(db: Db, viewer: User, which: { id: number } | 'all'): Promise<number> {
  assertCan(viewer, 'outbox.manage');
  const result = await db.updateTable('notifications')
    .set({ status: 'pending', next_attempt_at: sql`now()`, queued_at: sql`now()`, failed_at: null, attempts: 0 })
    .where('status', '=', 'failed')
    .$if(which !== 'all', (qb) => qb.where('id', '=', (which as { id: number }).id))
    .executeTakeFirst();
  const n = Number(result.numUpdatedRows);
  if (which !== 'all' && n === 0) throw new NotFoundError('notification', which.id);
  return n;
}
