import { sql } from 'kysely';
import type { Db, WebhookDelivery } from '../database.js';

/** A due delivery with what sending it needs from its subscription. */
export type ClaimedDelivery = WebhookDelivery & { url: string; secret: string };

/**
 * Takes up to `limit` due deliveries of active subscriptions for `leaseMs`
 * (FOR UPDATE SKIP LOCKED: two instances never take the same row; a lease
 * that lapsed — its instance died mid-send — is taken again, keeping the
 * same event id). `now` is core's clock; new events are due by the
 * database's (their default), so a row is due by whichever is later.
 */
export async function claimDueDeliveries(db: Db, p: { limit: number; leaseMs: number; now: Date }): Promise<ClaimedDelivery[]> {
  const until = new Date(p.now.getTime() + p.leaseMs);
  const result = await sql<ClaimedDelivery>`
    with due as (
      select d.id from webhook_deliveries d
      join webhook_subscriptions s on s.id = d.subscription_id and s.is_active
      where d.status = 'pending' and d.next_attempt_at <= greatest(${p.now}::timestamptz, now())
        and (d.lease_until is null or d.lease_until < greatest(${p.now}::timestamptz, now()))
      order by d.next_attempt_at, d.id
      limit ${p.limit}
      for update of d skip locked
    )
    update webhook_deliveries d set lease_until = ${until}::timestamptz
    from due, webhook_subscriptions s
    where d.id = due.id and s.id = d.subscription_id
    returning d.*, s.url, s.secret`.execute(db);
  return result.rows;
}

export interface AttemptRecord {
  deliveryId: number;
  attempt: number;
  startedAt: Date;
  status: number | null;
  latencyMs: number;
  error: string | null;
  responseStart: string | null;
}

/** Logs one attempt (§13: status, latency, the start of the answer). */
export async function insertAttempt(db: Db, a: AttemptRecord): Promise<void> {
  await db.insertInto('webhook_attempts').values({
    delivery_id: a.deliveryId, attempt: a.attempt, started_at: a.startedAt, status_code: a.status,
    latency_ms: a.latencyMs, error: a.error, response_start: a.responseStart,
  }).execute();
}
