import type { CoreContext } from '../core-context.js';
import type { User, WebhookDelivery } from '../database.js';
import { attemptDelivery, deliverDue, nextDueAt, type AttemptReport, type DeliverySettings } from './webhook-delivery.service.js';
import type { ClaimedDelivery } from './webhook-delivery.repository.js';
import { recordWebhookEvents } from './webhook-event.writer.js';
import { DEFAULT_RETRY } from './webhook-retry.rules.js';
import {
  createSubscription, deleteSubscription, getSubscription, listDeliveries, listSubscriptions, replayDeliveries,
  setSubscriptionActive,
} from './webhook-subscription.service.js';
import { PING_EVENT } from './webhook.events.js';
import { inTransaction } from '../transaction.js';

/**
 * Outbound webhooks (§13): admins' subscriptions (bot and API alike), the
 * delivery passes the runner calls, replays. Events themselves are written
 * by the changes (recordHistory → recordWebhookEvents), never here.
 */
export function webhookUseCases(ctx: CoreContext, opts: { random?: () => number } = {}) {
  const { db, config } = ctx;
  const policy = { requireHttps: config.NODE_ENV === 'production', allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS };
  const settings: DeliverySettings = {
    policy: {
      ...DEFAULT_RETRY, maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, maxAgeMs: config.WEBHOOK_MAX_AGE_HOURS * 3_600_000,
    },
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS,
    userAgent: 'AEL-CRM-Webhooks/1',
    now: ctx.now,
    ...(opts.random ? { random: opts.random } : {}),
  };

  /** Sends a webhook.ping to one subscription now, once (no retry), and says how it went. */
  const ping = async (viewer: User, subscriptionId: number): Promise<AttemptReport> => {
    await getSubscription(db, viewer, subscriptionId);
    // Written already leased (one transaction), so the delivery runner never sends the ping a second time.
    const claimed = await inTransaction(db, async (trx) => {
      const [eventId] = await recordWebhookEvents(trx, [{ type: PING_EVENT, subscriptionId, data: { subscription_id: subscriptionId } }]);
      const leased = await trx.updateTable('webhook_deliveries')
        .set({ lease_until: new Date(ctx.now().getTime() + settings.timeoutMs + 30_000) })
        .where('event_id', '=', eventId!).where('subscription_id', '=', subscriptionId)
        .returningAll().executeTakeFirstOrThrow();
      const sub = await trx.selectFrom('webhook_subscriptions').select(['url', 'secret']).where('id', '=', subscriptionId)
        .executeTakeFirstOrThrow();
      return { ...leased, ...sub } as ClaimedDelivery;
    });
    return attemptDelivery(db, settings, claimed, { final: true });
  };

  return {
    /**
     * Subscribes a URL (§13) and pings it at once. Returns the subscription
     * with its secret (shown once) and the ping's result. Throws as createSubscription.
     */
    subscribe: async (viewer: User, p: { url: string; events: readonly string[]; description?: string | null }) => {
      const subscription = await createSubscription(db, viewer, p, policy);
      return { subscription, ping: await ping(viewer, subscription.id) };
    },
    ping,
    list: (viewer: User) => listSubscriptions(db, viewer),
    get: (viewer: User, id: number) => getSubscription(db, viewer, id),
    setActive: (viewer: User, id: number, active: boolean) => setSubscriptionActive(db, viewer, id, active, ctx.now()),
    remove: (viewer: User, id: number) => deleteSubscription(db, viewer, id),
    deliveries: (viewer: User, p: { subscriptionId: number; status?: WebhookDelivery['status']; before?: number; limit?: number }) =>
      listDeliveries(db, viewer, p),
    /** Failed deliveries back in the queue: one, or all of the subscription's. Returns how many. */
    replay: (viewer: User, p: { subscriptionId: number; deliveryId?: number }) => replayDeliveries(db, viewer, p, ctx.now()),

    /** One delivery pass (the runner; tests). */
    deliverDue: (p: { limit?: number; concurrency?: number } = {}) =>
      deliverDue(db, settings, { limit: p.limit ?? 50, concurrency: p.concurrency ?? 8 }),
    /** When the next pending delivery is due, or null. */
    nextDueAt: () => nextDueAt(db),
  };
}
