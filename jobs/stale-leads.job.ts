import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import {
  withCorrelationId, type Core, type KeyValueStore, type StaleAlertResult, type StaleDealResult,
} from '../core/index.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

export const JOB_NAME = 'stale-leads';

/** §10: every 6 hours by default; the cron expression comes from STALE_CRON. */
export const SCHEDULE = (config: Pick<Config, 'STALE_CRON'>): string => config.STALE_CRON;

const LOCK_KEY = `lock:job:${JOB_NAME}`;
// Far longer than a run of ≤ 1000 small transactions; short enough that a
// crashed instance does not block the next scheduled run.
const LOCK_TTL_MS = 10 * 60_000;

export interface StaleLeadsDeps {
  core: Core;
  store: KeyValueStore;
  logger: Logger;
  metrics?: Pick<Metrics, 'staleAlerts'>;
  now?: () => Date;
}

export type StaleLeadsRun =
  | {
    status: 'completed'; runId: string; alerted: number; skipped: number; results: StaleAlertResult[];
    /** §9: the same run's stale-deal alerts. */
    deals: { alerted: number; skipped: number; results: StaleDealResult[] };
  }
  | { status: 'locked'; runId: string };

/** §9, §10: open deals without activity alert their owners in the same run, under the same lock. */
async function staleDeals(deps: StaleLeadsDeps, runId: string, log: Logger) {
  const results = await withCorrelationId(`job:${JOB_NAME}:${runId}`, () => deps.core.deals.raiseStaleAlerts(deps.now?.()));
  let alerted = 0;
  for (const r of results) {
    if (r.status === 'alerted') {
      alerted += 1;
      log.info({ deal_id: r.dealId, user_id: r.userId, days: r.days }, 'stale_deal_alert_sent');
    } else if (r.reason?.startsWith('error')) {
      log.warn({ deal_id: r.dealId, reason: r.reason }, 'stale_deal_alert_failed');
    }
  }
  return { alerted, skipped: results.length - alerted, results };
}

/**
 * One run of the §10 stale-lead job (and of the stale deals, §9). A store lock (shared through Redis)
 * keeps overlapping runs and other instances out; it only saves work, since
 * core re-checks every lead under a row lock. The alerts' messages carry the
 * run's id (job:stale-leads:<runId>) and wake delivery at their commit.
 * Throws only when the run as a whole fails (e.g. the database is down).
 */
export async function runStaleLeads(deps: StaleLeadsDeps): Promise<StaleLeadsRun> {
  const runId = randomUUID();
  const log = deps.logger.child({ job: JOB_NAME, run_id: runId });
  if (!(await deps.store.setIfAbsent(LOCK_KEY, runId, LOCK_TTL_MS))) {
    log.info('job_skipped_locked');
    return { status: 'locked', runId };
  }
  try {
    const results = await withCorrelationId(`job:${JOB_NAME}:${runId}`,
      () => deps.core.operations.raiseStaleAlerts(deps.now?.()));
    let alerted = 0;
    for (const r of results) {
      if (r.status === 'alerted') {
        alerted += 1;
        deps.metrics?.staleAlerts.inc();
        log.info({ lead_id: r.leadId, user_id: r.userId, days: r.days }, 'stale_alert_sent');
      } else if (r.reason?.startsWith('error')) {
        log.warn({ lead_id: r.leadId, reason: r.reason }, 'stale_alert_failed');
      }
    }
    const deals = await staleDeals(deps, runId, log);
    log.info({ alerted, skipped: results.length - alerted, deals_alerted: deals.alerted }, 'job_completed');
    return { status: 'completed', runId, alerted, skipped: results.length - alerted, results, deals };
  } finally {
    // Release only our own lock: if it expired and someone else holds it now,
    // theirs stays. (Check-then-delete is not atomic; see the row lock above.)
    if ((await deps.store.get(LOCK_KEY).catch(() => null)) === runId) {
      await deps.store.delete(LOCK_KEY).catch((err: unknown) => log.warn({ err }, 'job_lock_release_failed'));
    }
  }
}
