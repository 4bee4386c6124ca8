import type { Core } from '../core/index.js';
import type { Logger } from '../logger.js';

export interface WebhookDeliveryRunner {
  start(): void;
  /** Stops polling and waits for the pass in progress (its attempts are recorded). */
  stop(): Promise<void>;
  /** One pass now (tests, benchmarks). Returns how many attempts it made. */
  runOnce(): Promise<number>;
}

/**
 * Delivers outbound webhooks (§13) in the background: a pass every pollMs,
 * and at once again while passes find work. The state is all in the
 * database (deliveries with leases), so a restart, a crash or a second
 * instance neither loses nor doubles a delivery.
 */
export function createWebhookDeliveryRunner(deps: { core: Core; logger: Logger; pollMs: number }): WebhookDeliveryRunner {
  const log = deps.logger.child({ component: 'webhook_delivery' });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;

  const pass = async (): Promise<number> => {
    const reports = await deps.core.webhooks.deliverDue();
    for (const r of reports) {
      const fields = { delivery_id: r.deliveryId, event_id: r.eventId, status: r.status, latency_ms: r.latencyMs, outcome: r.outcome };
      if (r.outcome === 'delivered') log.debug(fields, 'webhook_delivered');
      else log.warn({ ...fields, error: r.error }, 'webhook_attempt_failed');
    }
    return reports.length;
  };
  const runOnce = (): Promise<number> => {
    running ??= pass().finally(() => { running = null; });
    return running;
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce().then((n) => schedule(n > 0 ? 0 : deps.pollMs), (err: unknown) => {
        log.error({ err }, 'webhook_pass_failed');
        schedule(deps.pollMs);
      });
    }, ms);
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => {});
    },
    runOnce,
  };
}
