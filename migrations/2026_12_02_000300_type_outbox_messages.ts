import { sql, type Kysely } from 'kysely';

/**
 * The outbox carries every message to a person, not only lead notices:
 * - chat_id: where it goes (a user's private chat today; a group or a
 *   customer's chat later), so delivery paces and defers per chat (§16, 429);
 *   recipient_user_id becomes optional;
 * - payload: one typed message (core/outbox/outbox.messages.ts); pending
 *   rows of the old per-kind shapes are rewritten to it here;
 * - correlation_id: the request, update or job run that queued it;
 * - lease_token: which delivery pass holds a claimed row (short leases,
 *   renewed while a send is in progress);
 * - queued_at: the start of the delivery window (reset when an admin
 *   retries a failed message); failed_at;
 * - a statement trigger NOTIFYs `crm_outbox` on insert and on a status
 *   change, so any commit that queues messages wakes delivery on every
 *   instance at once (NOTIFY is delivered at commit, never for a rollback);
 * - stale_alerts.notification_id: an alert whose message was never
 *   delivered does not suppress the next alert for that lead (§10).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications add column chat_id bigint`.execute(db);
  await sql`update notifications n set chat_id = u.telegram_id from users u where u.id = n.recipient_user_id`.execute(db);
  await sql`alter table notifications alter column chat_id set not null`.execute(db);
  await sql`alter table notifications alter column recipient_user_id drop not null`.execute(db);
  await sql`alter table notifications
    add column correlation_id text,
    add column lease_token text,
    add column queued_at timestamptz,
    add column failed_at timestamptz`.execute(db);
  await sql`update notifications set queued_at = created_at`.execute(db);
  await sql`alter table notifications alter column queued_at set not null, alter column queued_at set default now()`.execute(db);
  await sql`update notifications set failed_at = coalesce(sent_at, created_at) where status = 'failed'`.execute(db);

  // The old payloads, per kind, into the typed messages (every row, so history reads the same).
  const by = sql`case when payload->>'by' = 'deactivation' then 'deactivation' else 'reassigned' end`;
  await sql`update notifications set payload = case kind
      when 'lead_card' then jsonb_build_object(
        'leadId', lead_id,
        'reason', case when payload ? 'reassigned_by' then ${by} else 'new' end,
        'byUserId', payload->'reassigned_by')
      when 'unassigned_lead' then jsonb_build_object(
        'leadId', lead_id, 'reason', case when payload ? 'reassigned_by' then 'deactivation' else 'new' end)
      when 'repeat_inquiry' then jsonb_build_object('leadId', lead_id, 'summary', coalesce(payload->>'summary', ''))
      when 'stale_alert' then jsonb_build_object('leadId', lead_id, 'days', coalesce(payload->'days', '0'::jsonb),
        'score', payload->'score')
      when 'lead_reassigned_away' then jsonb_build_object('leadId', lead_id, 'toUserId', payload->'to_user_id',
        'byUserId', payload->'by_user_id')
      else payload end`.execute(db);

  await sql`create index notifications_chat_sending_idx on notifications (chat_id) where status = 'sending'`.execute(db);
  await sql`create index notifications_failed_idx on notifications (failed_at desc) where status = 'failed'`.execute(db);

  await sql`create function crm_notify_outbox() returns trigger language plpgsql as $$
    begin
      perform pg_notify('crm_outbox', '');
      return null;
    end $$`.execute(db);
  await sql`create trigger notifications_notify_insert after insert on notifications
    for each statement execute function crm_notify_outbox()`.execute(db);
  await sql`create trigger notifications_notify_status after update of status on notifications
    for each statement execute function crm_notify_outbox()`.execute(db);

  await sql`alter table stale_alerts add column notification_id integer references notifications(id) on delete set null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table stale_alerts drop column notification_id`.execute(db);
  await sql`drop trigger if exists notifications_notify_status on notifications`.execute(db);
  await sql`drop trigger if exists notifications_notify_insert on notifications`.execute(db);
  await sql`drop function if exists crm_notify_outbox()`.execute(db);
  await sql`drop index if exists notifications_failed_idx`.execute(db);
  await sql`drop index if exists notifications_chat_sending_idx`.execute(db);
  await sql`alter table notifications drop column failed_at, drop column queued_at, drop column lease_token,
    drop column correlation_id`.execute(db);
  await sql`delete from notifications where recipient_user_id is null`.execute(db);
  await sql`alter table notifications alter column recipient_user_id set not null`.execute(db);
  await sql`alter table notifications drop column chat_id`.execute(db);
}
