import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { assertCan } from '../access/access-policy.js';
import type { Db, User, WebhookAttempt, WebhookDelivery, WebhookSubscription } from '../database.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from './webhook.events.js';
import { checkWebhookUrl, type UrlPolicy } from './webhook-url.rules.js';

/** A subscription as lists show it: never its secret, with how its deliveries are doing. */
export type SubscriptionView = Omit<WebhookSubscription, 'secret'> & {
  pending: number; failed: number; last_status: number | null; last_error: string | null; last_attempt_at: Date | null;
};

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** Throws ValidationError('events') unless a non-empty list of WEBHOOK_EVENTS. */
export function checkEvents(events: readonly string[]): WebhookEvent[] {
  const unique = [...new Set(events)];
  if (!unique.length) throw new ValidationError('events', 'choose at least one event');
  const bad = unique.filter((e) => !WEBHOOK_EVENTS.includes(e as WebhookEvent));
  if (bad.length) throw new ValidationError('events', `unknown: ${bad.join(', ')}; allowed: ${WEBHOOK_EVENTS.join(', ')}`);
  return unique as WebhookEvent[];
}

/**
 * An admin subscribes a URL to events (§13). The URL is checked
 * (checkWebhookUrl) and the subscription gets its own secret, returned
 * here once in full. Throws ForbiddenError, ValidationError('url' | 'events' | 'description').
 */
export async function createSubscription(
  db: Db, actor: User, p: { url: string; events: readonly string[]; description?: string | null }, policy: UrlPolicy,
): Promise<WebhookSubscription> {
  assertCan(actor, 'webhooks.manage');
  const events = checkEvents(p.events);
  const description = p.description?.trim() || null;
  if (description && description.length > 200) throw new ValidationError('description', 'at most 200 characters');
  const url = await checkWebhookUrl(p.url, policy);
  return db.insertInto('webhook_subscriptions')
    .values({ url, events, secret: newSecret(), description, created_by: actor.id })
    .returningAll().executeTakeFirstOrThrow();
}

/** Every subscription with its pending and failed counts and last attempt (admins; /webhooks). Throws ForbiddenError. */
export async function listSubscriptions(db: Db, actor: User, only?: { id: number }): Promise<SubscriptionView[]> {
  assertCan(actor, 'webhooks.manage');
  const rows = await db.selectFrom('webhook_subscriptions as s')
    .select(['s.id', 's.url', 's.events', 's.description', 's.is_active', 's.disabled_reason', 's.created_by', 's.created_at', 's.disabled_at'])
    .select((eb) => [
      eb.selectFrom('webhook_deliveries as d').select(sql<number>`count(*)::int`.as('n'))
        .whereRef('d.subscription_id', '=', 's.id').where('d.status', '=', 'pending').as('pending'),
      eb.selectFrom('webhook_deliveries as d').select(sql<number>`count(*)::int`.as('n'))
        .whereRef('d.subscription_id', '=', 's.id').where('d.status', '=', 'failed').as('failed'),
    ])
    .select(sql<{ status_code: number | null; error: string | null; started_at: Date } | null>`(
      select jsonb_build_object('status_code', a.status_code, 'error', a.error, 'started_at', a.started_at)
      from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id
      where d.subscription_id = s.id order by a.id desc limit 1)`.as('last'))
    .$if(only !== undefined, (q) => q.where('s.id', '=', only!.id))
    .orderBy('s.id').execute();
  return rows.map(({ last, ...r }) => ({
    ...r, pending: Number(r.pending ?? 0), failed: Number(r.failed ?? 0),
    last_status: last?.status_code ?? null, last_error: last?.error ?? null,
    last_attempt_at: last ? new Date(last.started_at) : null,
  }));
}

/** One subscription (admins). Throws ForbiddenError, NotFoundError('webhook_subscription'). */
export async function getSubscription(db: Db, actor: User, id: number): Promise<SubscriptionView> {
  const [row] = await listSubscriptions(db, actor, { id });
  if (!row) throw new NotFoundError('webhook_subscription', id);
  return row;
}

/** Switches a subscription off or (again) on; on clears a 410's "gone". Throws ForbiddenError, NotFoundError. */
export async function setSubscriptionActive(db: Db, actor: User, id: number, active: boolean, now: Date): Promise<SubscriptionView> {
  assertCan(actor, 'webhooks.manage');
  const r = await db.updateTable('webhook_subscriptions')
    .set(active ? { is_active: true, disabled_reason: null, disabled_at: null } : { is_active: false, disabled_reason: 'admin', disabled_at: now })
    .where('id', '=', id).executeTakeFirst();
  if (!Number(r.numUpdatedRows)) throw new NotFoundError('webhook_subscription', id);
  return getSubscription(db, actor, id);
}

/** Deletes a subscription with its deliveries and attempts (admins). Throws ForbiddenError, NotFoundError. */
export async function deleteSubscription(db: Db, actor: User, id: number): Promise<void> {
  assertCan(actor, 'webhooks.manage');
  const r = await db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst();
  if (!Number(r.numDeletedRows)) throw new NotFoundError('webhook_subscription', id);
}

export type DeliveryView = Omit<WebhookDelivery, 'payload'> & { payload: Record<string, unknown>; attempt_log: WebhookAttempt[] };

/**
 * A subscription's deliveries, newest first, `status` narrowing, each with
 * its attempts (keyset pages by id: `before` is the last id seen).
 * limit 1–100. Throws ForbiddenError, NotFoundError.
 */
export async function listDeliveries(
  db: Db, actor: User, p: { subscriptionId: number; status?: WebhookDelivery['status']; before?: number; limit?: number },
): Promise<DeliveryView[]> {
  await getSubscription(db, actor, p.subscriptionId);
  const limit = Math.min(Math.max(p.limit ?? 20, 1), 100);
  const rows = await db.selectFrom('webhook_deliveries as d').selectAll('d')
    .select(sql<WebhookAttempt[]>`coalesce((select jsonb_agg(a order by a.id) from webhook_attempts a where a.delivery_id = d.id), '[]'::jsonb)`.as('attempt_log'))
    .where('d.subscription_id', '=', p.subscriptionId)
    .$if(p.status !== undefined, (q) => q.where('d.status', '=', p.status!))
    .$if(p.before !== undefined, (q) => q.where('d.id', '<', p.before!))
    .orderBy('d.id', 'desc').limit(limit).execute();
  return rows;
}

/**
 * Replays failed deliveries (§13): one (deliveryId) or all of a
 * subscription's: back to pending, due now, with a fresh attempt count and
 * retry window and the SAME event id (receivers deduplicate on it).
 * Returns how many were queued again. Throws ForbiddenError, NotFoundError.
 */
export async function replayDeliveries(
  db: Db, actor: User, p: { subscriptionId: number; deliveryId?: number }, now: Date,
): Promise<number> {
  await getSubscription(db, actor, p.subscriptionId);
  const r = await db.updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, queued_at: now, failed_at: null, lease_until: null })
    .where('subscription_id', '=', p.subscriptionId).where('status', '=', 'failed')
    .$if(p.deliveryId !== undefined, (q) => q.where('id', '=', p.deliveryId!))
    .executeTakeFirst();
  const n = Number(r.numUpdatedRows);
  if (p.deliveryId !== undefined && n === 0) throw new NotFoundError('webhook_delivery', p.deliveryId);
  return n;
}
