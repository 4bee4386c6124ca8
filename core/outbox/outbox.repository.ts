import { sql } from 'kysely';
import type { Db, Notification } from '../database.js';
import { inTransaction } from '../transaction.js';

/**
 * The delivery side of the outbox (§10, §15): claim due rows under a short
 * lease, renew it while a send is in progress, record the outcome. Every
 * write that ends a claim checks the lease token, so a pass whose lease ran
 * out never overwrites what another pass recorded since.
 */

const ms = (n: number) => sql<Date>`now() + ${`${Math.round(n)} milliseconds`}::interval`;

/**
 * Claims up to `limit` due rows for the pass `token`: pending ones whose
 * time has come, and claimed ones whose lease ran out (their instance died:
 * they are in doubt and are sent again — at least once). At most ONE row per
 * chat, and none for a chat that already has a live claim, so each chat's
 * messages go out one at a time and in order (Telegram: one a second per
 * chat). Rows locked by a concurrent claim are skipped.
 * `now`: core's clock; a row is due once the database's clock or this one
 * reaches its time (the same instant in production; tests move core's
 * clock on instead of sleeping). Never later than the database says.
 * A claimed row's merge key is cleared: nothing is merged into it any more.
 * Returns the claimed rows (status 'sending', attempts counted).
 */
export async function claimDueMessages(
  db: Db, p: { limit: number; leaseMs: number; token: string; now?: Date },
): Promise<Notification[]> {
  const dueBy = p.now ? sql<Date>`greatest(now(), ${p.now}::timestamptz)` : sql<Date>`now()`;
  return inTransaction(db, async (trx) => {
    const candidates = await trx.selectFrom('notifications as n').select(['n.id', 'n.chat_id'])
      .where((eb) => eb.or([
        eb.and([eb('n.status', '=', 'pending'), eb('n.next_attempt_at', '<=', dueBy)]),
        eb.and([eb('n.status', '=', 'sending'), eb('n.lease_until', '<', sql<Date>`now()`)]),
      ]))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notifications as s').select('s.id')
        .whereRef('s.chat_id', '=', 'n.chat_id').where('s.status', '=', 'sending')
        .where('s.lease_until', '>=', sql<Date>`now()`))))
      .orderBy('n.id').limit(p.limit * 4).forUpdate().skipLocked().execute();
    const chats = new Set<number>();
    const ids: number[] = [];
    for (const c of candidates) {
      if (chats.has(c.chat_id) || ids.length >= p.limit) continue;
      chats.add(c.chat_id);
      ids.push(c.id);
    }
    if (ids.length === 0) return [];
    return trx.updateTable('notifications')
      .set({
        status: 'sending', attempts: sql`attempts + 1`, lease_until: ms(p.leaseMs), lease_token: p.token, merge_key: null,
      })
      .where('id', 'in', ids).returningAll().execute()
      .then((rows) => rows.sort((a, b) => a.id - b.id));
  });
}

/** Extends the leases of rows this pass still holds (a slow send must not let another instance take them). */
export async function renewLeases(db: Db, p: { ids: readonly number[]; token: string; leaseMs: number }): Promise<void> {
  if (p.ids.length === 0) return;
  await db.updateTable('notifications').set({ lease_until: ms(p.leaseMs) })
    .where('id', 'in', p.ids).where('status', '=', 'sending').where('lease_token', '=', p.token).execute();
}

/**
 * Telegram accepted it. Recorded whoever holds the lease now: the message
 * is out, so nothing may send it again.
 */
export async function markMessageSent(
  db: Db, id: number, telegramMessageId: number,
): Promise<Pick<Notification, 'kind' | 'payload'> | undefined> {
  return db.updateTable('notifications')
    .set({
      status: 'sent', telegram_message_id: telegramMessageId, sent_at: sql`now()`,
      lease_until: null, lease_token: null, last_error: null,
    })
    .where('id', '=', id).returning(['kind', 'payload']).executeTakeFirst();
}

/**
 * Not delivered, worth trying again in `delayMs` — unless the message has
 * waited longer than `maxAgeMs` since it was queued, or used up its
 * max_attempts, then it is failed (and shown to admins, who can retry it).
 * `attemptRefunded`: this try does not count against max_attempts (a 429:
 * Telegram said when to send; waiting for it is no failed delivery).
 * Returns the new status.
 */
export async function rescheduleMessage(
  db: Db, p: { id: number; token: string; error: string; delayMs: number; maxAgeMs: number; attemptRefunded?: boolean },
): Promise<'pending' | 'failed' | 'not_ours'> {
  const used = p.attemptRefunded ? sql`attempts - 1` : sql`attempts`;
  // A capped row (a reminder, §10) is failed once its attempts are used up, however young.
  const expired = sql<boolean>`(queued_at < now() - ${`${Math.round(p.maxAgeMs)} milliseconds`}::interval
    or (max_attempts is not null and ${used} >= max_attempts))`;
  const row = await db.updateTable('notifications')
    .set({
      status: sql`case when ${expired} then 'failed' else 'pending' end`,
      failed_at: sql`case when ${expired} then now() end`,
      last_error: p.error.slice(0, 1000),
      next_attempt_at: ms(p.delayMs),
      lease_until: null, lease_token: null,
      ...(p.attemptRefunded ? { attempts: sql<number>`greatest(attempts - 1, 0)` } : {}),
    })
    .where('id', '=', p.id).where('status', '=', 'sending').where('lease_token', '=', p.token)
    .returning('status').executeTakeFirst();
  return row ? (row.status as 'pending' | 'failed') : 'not_ours';
}

/**
 * 429 for a chat (§16): nothing more goes to that chat for `delayMs`, from
 * any instance — every pending row of the chat waits, this one included.
 */
export async function deferChat(db: Db, p: { chatId: number; delayMs: number }): Promise<void> {
  await db.updateTable('notifications').set({ next_attempt_at: sql`greatest(next_attempt_at, ${ms(p.delayMs)})` })
    .where('chat_id', '=', p.chatId).where('status', '=', 'pending').execute();
}

/** Cannot be delivered at all (400, 403, the recipient or the lead is gone): failed at once, visible to admins. */
export async function markMessageFailed(
  db: Db, p: { id: number; token: string; error: string },
): Promise<Pick<Notification, 'kind' | 'payload'> | undefined> {
  return db.updateTable('notifications')
    .set({ status: 'failed', failed_at: sql`now()`, last_error: p.error.slice(0, 1000), lease_until: null, lease_token: null })
    .where('id', '=', p.id).where('lease_token', '=', p.token).returning(['kind', 'payload']).executeTakeFirst();
}

/** Hands claimed rows that were not sent back to the queue at once (shutdown): another instance takes them. */
export async function releaseClaims(db: Db, p: { ids: readonly number[]; token: string }): Promise<void> {
  if (p.ids.length === 0) return;
  await db.updateTable('notifications')
    .set({ status: 'pending', lease_until: null, lease_token: null, next_attempt_at: sql`now()`, attempts: sql`greatest(attempts - 1, 0)` })
    .where('id', 'in', p.ids).where('status', '=', 'sending').where('lease_token', '=', p.token).execute();
}

/**
 * When the delivery loop should look again: the next pending row's due time
 * or the first lease to run out, whichever is sooner; null when nothing
 * waits. Leases count because a claim can outlive its pass: its instance died
 * (kill -9), or the database went away before the outcome was recorded, or
 * before the claim's answer arrived. Such a row is taken again the moment its
 * lease runs out, not at the next poll, which may be minutes away
 * (OUTBOX_POLL_MS; tests/faults/pg-restart.test.ts). A live claim's lease is
 * renewed ahead of time, so it costs at most one empty claim per lease.
 */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | string | null }>`select least(
    (select min(next_attempt_at) from notifications where status = 'pending'),
    (select min(lease_until) from notifications where status = 'sending')) as at`.execute(db);
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}
