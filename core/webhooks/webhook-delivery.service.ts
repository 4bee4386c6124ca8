import { sql } from 'kysely';
import type { Db } from '../database.js';
import { ValidationError } from '../errors.js';
import { inTransaction } from '../transaction.js';
import { claimDueDeliveries, insertAttempt, type ClaimedDelivery } from './webhook-delivery.repository.js';
import { decideAfterAttempt, retryAfterMs, type AttemptOutcome, type RetryPolicy } from './webhook-retry.rules.js';
import { sendSignedEvent, type SendResult } from './webhook-sender.js';
import { checkReachableHost } from './webhook-url.rules.js';

export interface DeliverySettings {
  policy: RetryPolicy;
  timeoutMs: number;
  allowPrivate: boolean;
  userAgent: string;
  now: () => Date;
  random?: () => number;
}

/** One attempt as reported back (to a ping, to a test, to logs). */
export interface AttemptReport {
  deliveryId: number;
  eventId: string;
  status: number | null;
  latencyMs: number;
  error: string | null;
  outcome: AttemptOutcome['kind'];
}

/**
 * One attempt of a claimed delivery (§13): the host re-checked (a name may
 * now point inside), the signed POST, then — in one transaction — the
 * attempt logged and the delivery delivered, rescheduled (backoff, jitter,
 * Retry-After), failed, or failed with its subscription disabled (410).
 * `final`: no retry whatever the answer (the ping on subscribe).
 */
export async function attemptDelivery(
  db: Db, s: DeliverySettings, d: ClaimedDelivery, opts: { final?: boolean } = {},
): Promise<AttemptReport> {
  const startedAt = s.now();
  const attempt = d.attempts + 1;
  let result: SendResult;
  try {
    await checkReachableHost(new URL(d.url), { allowPrivate: s.allowPrivate });
    result = await sendSignedEvent({
      url: d.url, secret: d.secret, eventId: d.event_id, body: JSON.stringify(d.payload), timeoutMs: s.timeoutMs, userAgent: s.userAgent,
    });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    result = { status: null, retryAfter: null, latencyMs: 0, error: err.message, responseStart: null };
  }
  const ageMs = startedAt.getTime() - d.queued_at.getTime();
  let outcome = decideAfterAttempt({
    status: result.status, retryAfter: retryAfterMs(result.retryAfter, startedAt), attempts: attempt, ageMs,
    policy: s.policy, random: (s.random ?? Math.random)(),
  });
  if (opts.final && outcome.kind === 'retry') outcome = { kind: 'failed', why: 'attempts' };
  await inTransaction(db, async (trx) => {
    await insertAttempt(trx, {
      deliveryId: d.id, attempt, startedAt, status: result.status, latencyMs: result.latencyMs,
      error: result.error, responseStart: result.responseStart,
    });
    const base = { attempts: attempt, lease_until: null, last_status: result.status, last_error: result.error };
    const q = trx.updateTable('webhook_deliveries').where('id', '=', d.id);
    if (outcome.kind === 'delivered') await q.set({ ...base, status: 'delivered', delivered_at: startedAt }).execute();
    else if (outcome.kind === 'retry') {
      await q.set({ ...base, next_attempt_at: new Date(startedAt.getTime() + outcome.delayMs) }).execute();
    } else await q.set({ ...base, status: 'failed', failed_at: startedAt }).execute();
    if (outcome.kind === 'gone') {
      await trx.updateTable('webhook_subscriptions')
        .set({ is_active: false, disabled_reason: 'gone', disabled_at: startedAt })
        .where('id', '=', d.subscription_id).execute();
    }
  });
  return {
    deliveryId: d.id, eventId: d.event_id, status: result.status, latencyMs: result.latencyMs, error: result.error, outcome: outcome.kind,
  };
}

/**
 * One delivery pass: claims up to `limit` due deliveries and attempts them,
 * `concurrency` at a time. Returns the attempts' reports. A lease of
 * timeout + 30 s covers the send; if this process dies mid-send, the row is
 * taken again after it with the same webhook-id (receivers deduplicate).
 */
export async function deliverDue(
  db: Db, s: DeliverySettings, p: { limit: number; concurrency: number },
): Promise<AttemptReport[]> {
  const claimed = await claimDueDeliveries(db, { limit: p.limit, leaseMs: s.timeoutMs + 30_000, now: s.now() });
  const reports: AttemptReport[] = [];
  let next = 0;
  const worker = async () => {
    while (next < claimed.length) {
      const d = claimed[next++]!;
      reports.push(await attemptDelivery(db, s, d));
    }
  };
  await Promise.all(Array.from({ length: Math.min(p.concurrency, claimed.length) }, worker));
  return reports;
}

/** When the next delivery is due (for the runner's sleep); null: none pending. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('webhook_deliveries').select(sql<Date>`min(next_attempt_at)`.as('at'))
    .where('status', '=', 'pending').executeTakeFirst();
  return row?.at ?? null;
}
