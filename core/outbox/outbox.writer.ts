import { sql } from 'kysely';
import { LEAD_SUPERVISOR_ROLES, PERMISSIONS } from '../access/access-policy.js';
import { currentCorrelationId } from '../correlation.js';
import type { Db, Lead } from '../database.js';
import { leadIdOf, type OutboxKind, type OutboxMessage } from './outbox.messages.js';

/**
 * Who a message goes to:
 * - `user`: one person, whatever their status (account messages reach a
 *   deactivated or rejected user too; lead messages are re-checked at delivery);
 * - `leadAudience`: whoever answers for the lead (§4) — its assignee while
 *   they are active, else every active manager and admin;
 * - `deciders`: every active admin (access requests, §1);
 * - `customer`: the chat of a conversation (§12) — a customer, not a user.
 */
export type Recipients =
  | { user: number }
  | { leadAudience: Pick<Lead, 'assigned_to'> }
  | { deciders: true }
  | { customer: number };

export interface QueueOptions {
  /** Not before this many ms from now (a notice that gathers what arrives meanwhile). */
  delayMs?: number;
}

const dueAt = (delayMs: number | undefined) =>
  (delayMs ? sql<Date>`now() + ${`${Math.round(delayMs)} milliseconds`}::interval` : sql<Date>`now()`);

/**
 * Queues `message` in the outbox for each recipient, in ONE insert … select
 * (the chat id is the user's Telegram id, or the conversation's chat).
 * Call it inside the transaction of the change that causes the message:
 * the rows exist iff the change committed, and the insert's NOTIFY wakes
 * delivery at that commit. Each row keeps the current correlation id.
 * Returns the new row ids (none when nobody qualifies, e.g. no active admin).
 */
export async function queueMessage(db: Db, to: Recipients, message: OutboxMessage, opts: QueueOptions = {}): Promise<number[]> {
  const { kind, ...payload } = message;
  const columns = [
    sql<string>`${kind}::text`.as('kind'),
    sql<string>`${JSON.stringify(payload)}::jsonb`.as('payload'),
    sql<number>`${leadIdOf(message)}::int`.as('lead_id'),
    sql<string>`${currentCorrelationId()}::text`.as('correlation_id'),
    dueAt(opts.delayMs).as('next_attempt_at'),
  ];
  if ('customer' in to) {
    const rows = await db.insertInto('notifications')
      .columns(['kind', 'payload', 'lead_id', 'correlation_id', 'next_attempt_at', 'chat_id', 'recipient_user_id'])
      .expression((eb) => eb.selectFrom('conversations as c')
        .select([...columns, 'c.telegram_chat_id', sql<number>`null::int`.as('recipient_user_id')])
        .where('c.id', '=', to.customer))
      .returning('id').execute();
    return rows.map((r) => r.id);
  }
  const assignee = 'leadAudience' in to ? to.leadAudience.assigned_to ?? 0 : 0;
  const rows = await db.insertInto('notifications')
    .columns(['kind', 'payload', 'lead_id', 'correlation_id', 'next_attempt_at', 'chat_id', 'recipient_user_id'])
    .expression((eb) => eb.selectFrom('users as u')
      .select([...columns, 'u.telegram_id', 'u.id'])
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

/**
 * Changes messages that are still waiting (status pending, not claimed by a
 * delivery pass) instead of queueing another: those of `kind` whose payload
 * contains `match`, narrowed by lead when given. `set` overwrites payload
 * keys, `add` adds to numeric ones. A row being delivered right now is
 * locked and no longer pending when this runs, so it is left alone and the
 * caller queues a new message. Returns how many rows changed.
 */
export async function amendPendingMessages(db: Db, p: {
  kind: OutboxKind;
  leadId?: number | null;
  /** Only this user's rows. */
  recipientUserId?: number;
  match: Record<string, string | number | boolean>;
  set?: Record<string, string | number | boolean>;
  add?: Record<string, number>;
}): Promise<number> {
  let payload = sql<unknown>`payload || ${JSON.stringify(p.set ?? {})}::jsonb`;
  for (const [key, n] of Object.entries(p.add ?? {})) {
    payload = sql`jsonb_set(${payload}, ${`{${key}}`}::text[], to_jsonb(coalesce((payload->>${key})::numeric, 0) + ${n}))`;
  }
  const result = await db.updateTable('notifications')
    .set({ payload: payload as never })
    .where('status', '=', 'pending').where('kind', '=', p.kind)
    .$if(p.leadId !== undefined, (qb) => qb.where('lead_id', p.leadId === null ? 'is' : '=', p.leadId as number))
    .$if(p.recipientUserId !== undefined, (qb) => qb.where('recipient_user_id', '=', p.recipientUserId!))
    .where(sql<boolean>`payload @> ${JSON.stringify(p.match)}::jsonb`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
