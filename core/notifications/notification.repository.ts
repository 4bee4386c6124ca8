import { sql } from 'kysely';
import type { Db, Lead, Notification, NotificationKind } from '../database.js';
import { inTransaction } from '../transaction.js';
import { listActiveManagers } from '../users/user.service.js';

/** After this many failed attempts a notification is marked failed and stays visible. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/** Backoff before retry n (1-based), in ms: 2 s, 4 s, 8 s … capped at 5 min. */
export const retryDelayMs = (attempt: number): number => Math.min(2000 * 2 ** (attempt - 1), 300_000);

export interface NewNotification {
  kind: NotificationKind;
  recipientUserId: number;
  leadId?: number | null;
  payload?: Record<string, unknown>;
}

/**
 * Queues a Telegram message in the outbox. Call it inside the transaction
 * that makes the change, so the message exists iff the change committed.
 */
export async function enqueueNotification(db: Db, n: NewNotification): Promise<void> {
  await db.insertInto('notifications').values({
    kind: n.kind,
    recipient_user_id: n.recipientUserId,
    lead_id: n.leadId ?? null,
    payload: JSON.stringify(n.payload ?? {}),
  }).execute();
}

/**
 * Queues `kind` for whoever answers for the lead: its assignee, else every
 * active manager and admin (§4). Returns the number of rows queued.
 */
export async function notifyLeadAudience(
  db: Db, lead: Lead, kind: NotificationKind, payload?: Record<string, unknown>,
): Promise<number> {
  const recipients = lead.assigned_to !== null
    ? [lead.assigned_to]
    : (await listActiveManagers(db)).map((u) => u.id);
  for (const recipientUserId of recipients) {
    await enqueueNotification(db, { kind, recipientUserId, leadId: lead.id, ...(payload ? { payload } : {}) });
  }
  return recipients.length;
}

/**
 * Claims up to `limit` due notifications for delivery: pending ones whose
 * time has come, and 'sending' ones whose lease (leaseMs) ran out because
 * their instance died. Rows locked by another instance are skipped, so two
 * instances never claim the same row.
 */
export async function claimDueNotifications(
  db: Db, p: { limit: number; leaseMs: number },
): Promise<Notification[]> {
  return inTransaction(db, async (trx) => {
    const due = await trx.selectFrom('notifications').select('id')
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', sql<Date>`now()`)]),
        eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', sql<Date>`now()`)]),
      ]))
      .orderBy('id').limit(p.limit).forUpdate().skipLocked().execute();
    if (due.length === 0) return [];
    return trx.updateTable('notifications')
      .set({
        status: 'sending',
        attempts: sql`attempts + 1`,
        lease_until: sql`now() + ${`${p.leaseMs} milliseconds`}::interval`,
      })
      .where('id', 'in', due.map((r) => r.id))
      .returningAll().execute();
  });
}

/** Delivered: records Telegram's message id. */
export async function markNotificationSent(db: Db, id: number, telegramMessageId: number): Promise<void> {
  await db.updateTable('notifications')
    .set({ status: 'sent', telegram_message_id: telegramMessageId, sent_at: sql`now()`, lease_until: null, last_error: null })
    .where('id', '=', id).execute();
}

/**
 * Not delivered. Retryable failures (network, 429, 5xx) go back to pending
 * with exponential backoff until MAX_DELIVERY_ATTEMPTS; others (400, 403:
 * the user blocked the bot) are failed at once.
 */
export async function markNotificationFailed(
  db: Db, id: number, p: { error: string; retryable: boolean; retryAfterMs?: number },
): Promise<void> {
  const row = await db.selectFrom('notifications').select('attempts').where('id', '=', id).executeTakeFirst();
  if (!row) return;
  const giveUp = !p.retryable || row.attempts >= MAX_DELIVERY_ATTEMPTS;
  const delayMs = Math.max(p.retryAfterMs ?? 0, retryDelayMs(row.attempts));
  await db.updateTable('notifications')
    .set({
      status: giveUp ? 'failed' : 'pending',
      last_error: p.error.slice(0, 1000),
      lease_until: null,
      next_attempt_at: sql`now() + ${`${delayMs} milliseconds`}::interval`,
    })
    .where('id', '=', id).execute();
}
