import { sql } from 'kysely';
import { LEAD_SUPERVISOR_ROLES, PERMISSIONS, type Permission } from '../access/access-policy.js';
import { currentCorrelationId } from '../correlation.js';
import type { Db, Lead } from '../database.js';
import { leadIdOf, type LeadChangeAction, type OutboxKind, type OutboxMessage } from './outbox.messages.js';

/**
 * Who a message goes to:
 * - `user`: one person, whatever their status (account messages reach a
 *   deactivated or rejected user too; lead messages are re-checked at delivery);
 * - `leadAudience`: whoever answers for the lead (§4) — its assignee while
 *   they are active, else every active manager and admin;
 * - `deciders`: every active admin (access requests, §1);
 * - `permission`: every active user whose role has it (e.g. 'sources.manage':
 *   the admins who fix a failing form, §11);
 * - `customer`: the chat of a conversation (§12) — a customer, not a user;
 * - `chat`: a configured team chat by its Telegram id (the sales chat, §8) — no user.
 */
export type Recipients =
  | { user: number }
  | { leadAudience: Pick<Lead, 'assigned_to'> }
  | { deciders: true }
  | { permission: Permission }
  | { customer: number }
  | { chat: number };

export interface QueueOptions {
  /** Not before this many ms from now (a notice that gathers what arrives meanwhile). */
  delayMs?: number;
  /** Not before this moment (a reminder's time); its delivery window starts then too. */
  at?: Date;
  /** At most this many delivery attempts, then failed (reminders, §10); default: until OUTBOX_MAX_AGE_HOURS. */
  maxAttempts?: number;
}

const dueAt = (opts: QueueOptions) => (opts.at ? sql<Date>`greatest(now(), ${opts.at}::timestamptz)`
  : opts.delayMs ? sql<Date>`now() + ${`${Math.round(opts.delayMs)} milliseconds`}::interval` : sql<Date>`now()`);

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
    dueAt(opts).as('next_attempt_at'),
    dueAt(opts).as('queued_at'),
    sql<number>`${opts.maxAttempts ?? null}::int`.as('max_attempts'),
  ];
  if ('customer' in to) {
    const rows = await db.insertInto('notifications')
      .columns(['kind', 'payload', 'lead_id', 'correlation_id', 'next_attempt_at', 'queued_at', 'max_attempts', 'chat_id', 'recipient_user_id'])
      .expression((eb) => eb.selectFrom('conversations as c')
        .select([...columns, 'c.telegram_chat_id', sql<number>`null::int`.as('recipient_user_id')])
        .where('c.id', '=', to.customer))
      .returning('id').execute();
    return rows.map((r) => r.id);
  }
  if ('chat' in to) {
    const rows = await db.insertInto('notifications')
      .columns(['kind', 'payload', 'lead_id', 'correlation_id', 'next_attempt_at', 'queued_at', 'max_attempts', 'chat_id', 'recipient_user_id'])
      .expression(db.selectNoFrom([
        ...columns, sql<number>`${to.chat}::bigint`.as('chat_id'), sql<number>`null::int`.as('recipient_user_id'),
      ]))
      .returning('id').execute();
    return rows.map((r) => r.id);
  }
  const assignee = 'leadAudience' in to ? to.leadAudience.assigned_to ?? 0 : 0;
  const rows = await db.insertInto('notifications')
    .columns(['kind', 'payload', 'lead_id', 'correlation_id', 'next_attempt_at', 'queued_at', 'max_attempts', 'chat_id', 'recipient_user_id'])
    .expression((eb) => eb.selectFrom('users as u')
      .select([...columns, 'u.telegram_id', 'u.id'])
      .where((w) => {
        if ('user' in to) return w('u.id', '=', to.user);
        if ('deciders' in to) return w.and([w('u.status', '=', 'active'), w('u.role', 'in', PERMISSIONS['access.decide'])]);
        if ('permission' in to) return w.and([w('u.status', '=', 'active'), w('u.role', 'in', PERMISSIONS[to.permission])]);
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

/** A lead_changed notice holds at most this many changes; later ones are left out (the card shows the lead as it is). */
export const LEAD_CHANGES_MAX = 100;

const leadChangeKey = (userId: number, leadId: number) => `lead_changed:${userId}:${leadId}`;

/**
 * Queues a lead_changed notice (§3, §5, §6) for `userId` about `leadId`,
 * due `delayMs` after `now` (core's clock; default the database's), or —
 * when one is still waiting, unclaimed — appends `change` to it instead, so
 * the changes of that window reach the person as ONE message. Only an
 * active user gets one. The change's `at` is `now`. Call inside the
 * transaction of the change.
 *
 * Concurrency: the waiting notice is found through its merge key's unique
 * index (INSERT … ON CONFLICT DO UPDATE), so two changes committed at once
 * both land in one row — neither is lost, no second notice is queued — and
 * a row delivery has claimed (its key cleared under the claim's lock) is
 * never touched: the change then starts a new notice.
 * Returns the row id, or null when nobody qualified (inactive, pending).
 */
export async function queueLeadChange(
  db: Db, p: { userId: number; leadId: number; change: LeadChangeAction & { byUserId: number }; delayMs: number; now?: Date },
): Promise<number | null> {
  const at = p.now ? sql<Date>`${p.now}::timestamptz` : sql<Date>`now()`;
  const change = sql`jsonb_build_array(${JSON.stringify(p.change)}::jsonb || jsonb_build_object('at', ${at}))`;
  const row = await db.insertInto('notifications')
    .columns(['kind', 'payload', 'chat_id', 'recipient_user_id', 'lead_id', 'correlation_id', 'merge_key', 'next_attempt_at'])
    .expression((eb) => eb.selectFrom('users as u')
      .select([
        sql<string>`'lead_changed'::text`.as('kind'),
        sql<string>`jsonb_build_object('leadId', ${p.leadId}::int, 'changes', ${change})`.as('payload'),
        'u.telegram_id',
        'u.id',
        sql<number>`${p.leadId}::int`.as('lead_id'),
        sql<string>`${currentCorrelationId()}::text`.as('correlation_id'),
        sql<string>`${leadChangeKey(p.userId, p.leadId)}::text`.as('merge_key'),
        sql<Date>`${at} + ${`${Math.round(p.delayMs)} milliseconds`}::interval`.as('next_attempt_at'),
      ])
      .where('u.id', '=', p.userId).where('u.status', '=', 'active'))
    .onConflict((oc) => oc.column('merge_key').where('merge_key', 'is not', null).doUpdateSet({
      payload: sql`case when jsonb_array_length(notifications.payload->'changes') >= ${LEAD_CHANGES_MAX}
        then notifications.payload
        else jsonb_set(notifications.payload, '{changes}', (notifications.payload->'changes') || (excluded.payload->'changes')) end`,
    }))
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Withdraws the lead_changed notice still waiting for `userId` about
 * `leadId`, if any (the lead was handed to someone else: the message that
 * says so replaces it). A notice delivery has claimed is left alone.
 * Call inside the transaction of the change.
 */
export async function dropLeadChange(db: Db, p: { userId: number; leadId: number }): Promise<void> {
  await db.deleteFrom('notifications').where('merge_key', '=', leadChangeKey(p.userId, p.leadId)).execute();
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
