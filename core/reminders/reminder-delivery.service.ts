import { sql } from 'kysely';
import type { Db, Notification } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';

type Outcome = { sent: true } | { sent: false; reason: 'retries' | 'refused' };

/**
 * What a reminder's delivery outcome does to the reminder (§10), called by
 * the outbox in the transaction that records the outcome: sent → 'sent';
 * failed after its 3 attempts → 'failed', and its owner and the managers are
 * told; refused by Telegram (400/403: the owner blocked the bot) → 'failed'
 * at once, and the managers are told (the owner cannot be reached). Only the
 * reminder's current delivery counts: one withdrawn by a reschedule, or of a
 * reminder cancelled meanwhile, changes nothing. Other kinds are ignored.
 */
export async function recordReminderDelivery(
  trx: Db, row: Pick<Notification, 'kind' | 'payload'> & { id: number }, outcome: Outcome,
): Promise<void> {
  if (row.kind !== 'reminder') return;
  const reminder = await trx.updateTable('reminders')
    .set({
      status: outcome.sent ? 'sent' : 'failed', failure: outcome.sent ? null : outcome.reason, updated_at: sql`now()`,
    })
    .where('notification_id', '=', row.id).where('status', '=', 'scheduled')
    .returning(['id', 'lead_id', 'user_id']).executeTakeFirst();
  if (!reminder || outcome.sent) return;
  const message = {
    kind: 'reminder_failed', reminderId: reminder.id, leadId: reminder.lead_id, ownerId: reminder.user_id, reason: outcome.reason,
  } as const;
  // The managers in both cases; the owner too when Telegram may still reach them.
  await queueMessage(trx, { permission: 'leads.reassign' }, message);
  if (outcome.reason === 'retries') await queueMessage(trx, { user: reminder.user_id }, message);
}
