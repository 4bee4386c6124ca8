import { GrammyError, HttpError, type Api } from 'grammy';
import type { Kysely } from 'kysely';
import type { Database, Notification } from '../../core/database.js';
import { NotFoundError } from '../../core/errors.js';
import {
  claimDueNotifications, markNotificationFailed, markNotificationSent,
} from '../../core/notifications/notification.repository.js';
import { getUser } from '../../core/users/user.service.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import { sendView } from '../lead-cards.js';
import { renderNotification, UndeliverableError } from './render.js';

export interface NotificationDeliveryDeps {
  db: Kysely<Database>;
  /** bot.api: with auto-retry, so a short 429 is waited out within one attempt. */
  api: Api;
  logger: Logger;
  /** How often to look for due notifications when nobody calls wake(). */
  pollMs: number;
  /** Rows claimed per pass; default 20. */
  batchSize?: number;
  /**
   * How long a claimed row is ours; default 5 min. Longer than one send can
   * take with auto-retry waits, so another instance never re-sends it meanwhile.
   */
  leaseMs?: number;
  metrics?: Pick<Metrics, 'notifications'>;
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed';
export interface DeliveryResult { id: number; kind: Notification['kind']; outcome: DeliveryOutcome; error?: string }

export interface NotificationDelivery {
  /** One pass: claim due rows, send each, record the outcome. Never throws for one row. */
  runOnce(): Promise<DeliveryResult[]>;
  /** Polls every pollMs until stop(). */
  start(): void;
  /** Stops polling and waits for the pass in progress. */
  stop(): Promise<void>;
  /** Runs a pass soon, e.g. right after a commit that queued messages. */
  wake(): void;
}

/**
 * Delivers the transactional outbox to Telegram (§4 assignment messages,
 * §10 stale alerts). Retryable failures — network, 429, 5xx — go back to
 * the queue with backoff; 400/403 (bad request, bot blocked) fail at once
 * (§10). A row is claimed under a lease before it is sent, so no two passes
 * or instances send it twice.
 */
export function createNotificationDelivery(deps: NotificationDeliveryDeps): NotificationDelivery {
  const { db, api, metrics } = deps;
  const log = deps.logger.child({ component: 'notification_delivery' });
  const batchSize = deps.batchSize ?? 20;
  const leaseMs = deps.leaseMs ?? 5 * 60_000;

  async function deliverOne(n: Notification): Promise<DeliveryResult> {
    const base = { id: n.id, kind: n.kind };
    let messageId: number;
    try {
      const recipient = await getUser(db, n.recipient_user_id);
      if (recipient.status !== 'active') throw new UndeliverableError(`recipient is ${recipient.status}`);
      messageId = await sendView(api, recipient.telegram_id, await renderNotification(db, n, recipient));
    } catch (err) {
      const { retryable, retryAfterMs } = classify(err);
      const error = describe(err);
      try {
        await markNotificationFailed(db, n.id, { error, retryable, ...(retryAfterMs ? { retryAfterMs } : {}) });
      } catch (markErr) {
        // Not sent, so nothing is lost: the row is claimed again when its lease runs out.
        log.error({ err: markErr, notification_id: n.id }, 'notification_failure_not_recorded');
      }
      const outcome: DeliveryOutcome = retryable ? 'retry' : 'failed';
      log[retryable ? 'warn' : 'error']({ notification_id: n.id, kind: n.kind, attempts: n.attempts, error }, 'notification_failed');
      metrics?.notifications.inc({ kind: n.kind, result: outcome });
      return { ...base, outcome, error };
    }
    // The message is out: from here on, never report a failure that would send it again.
    await markSentPersistently(n.id, messageId);
    log.info({ notification_id: n.id, kind: n.kind, lead_id: n.lead_id }, 'notification_sent');
    metrics?.notifications.inc({ kind: n.kind, result: 'sent' });
    return { ...base, outcome: 'sent' };
  }

  async function markSentPersistently(id: number, messageId: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await markNotificationSent(db, id, messageId);
        return;
      } catch (err) {
        // Left as 'sending', the row would be re-sent when its lease expires.
        if (attempt >= 3) {
          log.error({ err, notification_id: id }, 'notification_sent_not_recorded');
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  async function pass(): Promise<DeliveryResult[]> {
    const claimed = await claimDueNotifications(db, { limit: batchSize, leaseMs });
    const results: DeliveryResult[] = [];
    // One by one: Telegram limits messages per second, and auto-retry waits out a 429 in place.
    for (const n of claimed) results.push(await deliverOne(n));
    return results;
  }

  // Passes never overlap within an instance: each waits for the previous one.
  let chain: Promise<unknown> = Promise.resolve();
  function runOnce(): Promise<DeliveryResult[]> {
    const next = chain.then(pass);
    chain = next.catch(() => undefined);
    return next;
  }

  let started = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;
  let again = false;

  async function tick(): Promise<void> {
    timer = null;
    ticking = true;
    try {
      do {
        again = false;
        await runOnce();
      } while (again && started);
    } catch (err) {
      log.error({ err }, 'notification_pass_failed');
    } finally {
      ticking = false;
      if (started) timer = setTimeout(tick, deps.pollMs);
    }
  }

  return {
    runOnce,
    start() {
      if (started) return;
      started = true;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await chain;
    },
    wake() {
      if (!started) return;
      if (ticking) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = setTimeout(tick, 0);
    },
  };
}

/** §10: network errors, 429 and 5xx are worth retrying; 400/403 and a gone lead or recipient are not. */
function classify(err: unknown): { retryable: boolean; retryAfterMs?: number } {
  if (err instanceof GrammyError) {
    if (err.error_code === 429) {
      const after = err.parameters.retry_after;
      return { retryable: true, ...(after ? { retryAfterMs: after * 1000 } : {}) };
    }
    return { retryable: err.error_code >= 500 };
  }
  if (err instanceof HttpError) return { retryable: true };
  if (err instanceof UndeliverableError || err instanceof NotFoundError) return { retryable: false };
  // Anything else (a database hiccup while rendering) may pass; the outbox caps the attempts.
  return { retryable: true };
}

function describe(err: unknown): string {
  if (err instanceof GrammyError) return `${err.error_code}: ${err.description}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
