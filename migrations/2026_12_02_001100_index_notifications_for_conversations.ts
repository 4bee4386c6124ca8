import { sql, type Kysely } from 'kysely';

/**
 * §12: a manager who answers a notice with Telegram's "reply" is matched to
 * the lead through the message that was delivered (chat + message id); a
 * customer's message joins a notice that is still waiting, found by lead
 * and kind among the pending rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index notifications_delivered_message_idx on notifications (chat_id, telegram_message_id)
    where telegram_message_id is not null`.execute(db);
  await sql`create index notifications_pending_lead_idx on notifications (lead_id, kind)
    where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists notifications_pending_lead_idx`.execute(db);
  await sql`drop index if exists notifications_delivered_message_idx`.execute(db);
}
