import { sql } from 'kysely';
import { LEAD_SUPERVISOR_ROLES, PERMISSIONS } from '../access/access-policy.js';
import { currentCorrelationId } from '../correlation.js';
import type { Db, Lead } from '../database.js';
import { leadIdOf, type OutboxMessage } from './outbox.messages.js';

/**
 * Who a message goes to:
 * - `user`: one person, whatever their status (account messages reach a
 *   deactivated or rejected user too; lead messages are re-checked at delivery);
 * - `leadAudience`: whoever answers for the lead (§4) — its assignee while
 *   they are active, else every active manager and admin;
 * - `deciders`: every active admin (access requests, §1).
 */
export type Recipients =
  | { user: number }
  | { leadAudience: Pick<Lead, 'assigned_to'> }
  | { deciders: true };

/**
 * Queues `message` in the outbox for each recipient, in ONE insert … select
 * (the chat id is the user's Telegram id). Call it inside the transaction of
 * the change that causes the message: the rows exist iff the change
 * committed, and the insert's NOTIFY wakes delivery at that commit. Each row
 * keeps the current correlation id. Returns the new row ids (none when
 * nobody qualifies, e.g. no active admin).
 */
export async function queueMessage(db: Db, to: Recipients, message: OutboxMessage): Promise<number[]> {
  const { kind, ...payload } = message;
  const assignee = 'leadAudience' in to ? to.leadAudience.assigned_to ?? 0 : 0;
  const rows = await db.insertInto('notifications')
    .columns(['kind', 'payload', 'chat_id', 'recipient_user_id', 'lead_id', 'correlation_id'])
    .expression((eb) => eb.selectFrom('users as u')
      .select([
        sql<string>`${kind}::text`.as('kind'),
        sql<string>`${JSON.stringify(payload)}::jsonb`.as('payload'),
        'u.telegram_id',
        'u.id',
        sql<number>`${leadIdOf(message)}::int`.as('lead_id'),
        sql<string>`${currentCorrelationId()}::text`.as('correlation_id'),
      ])
      .where((w) => {
        if ('user' in to) return w('u.id', '=', to.user);
        if ('deciders' in to) return w.and([w('u.status', '=', 'active'), w('u.role', 'in', PERMISSIONS['access.decide'])]);
        // The assignee while active; otherwise (nobody, or an owner who left) the supervisors.
        const assigneeActive = w.exists(w.selectFrom('users as a').select('a.id')
          .where('a.id', '=', assignee).where('a.status', '=', 'active'));
        return w.and([
          w('u.status', '=', 'active'),
          w.or([w('u.id', '=', assignee), w.and([w('u.role', 'in', LEAD_SUPERVISOR_ROLES), w.not(assigneeActive)])]),
        ]);
      })
      .orderBy('u.id'))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
