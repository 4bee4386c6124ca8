import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { raiseStaleAlerts, type Database, type KeyValueStore, type StaleAlertResult } from '../core/index.js';
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
  db: Kysely<Database>;
  store: KeyValueStore;
  logger: Logger;
  config: Pick<Config, 'STALE_AFTER_DAYS' | 'STALE_MAX_ALERTS_PER_RUN'>;
  metrics?: Pick<Metrics, 'staleAlerts'>;
  /** Called after a run queued at least one alert (the bot wakes its delivery worker). */
  onAlertsQueued?: () => void;
  now?: () => Date;
}

export type StaleLeadsRun =
  | { status: 'completed'; runId: string; alerted: number; skipped: number; results: StaleAlertResult[] }
  | { status: 'locked'; runId: string };

/**
 * One run of the §10 stale-lead job. A store lock (shared through Redis)
 * keeps overlapping runs and other instances out; it only saves work, since
 * raiseStaleAlerts re-checks every lead under a row lock. Throws only when
 * the run as a whole fails (e.g. the database is down).
 */
export async function runStaleLeads(deps: StaleLeadsDeps): Promise<StaleLeadsRun> {
  const runId = randomUUID();
  const log = deps.logger.child({ job: JOB_NAME, runId });
  if (!(await deps.store.setIfAbsent(LOCK_KEY, runId, LOCK_TTL_MS))) {
    log.info('job_skipped_locked');
    return { status: 'locked', runId };
  }
  try {
    const results = await raiseStaleAlerts(deps.db, {
      staleAfterDays: deps.config.STALE_AFTER_DAYS,
      maxAlerts: deps.config.STALE_MAX_ALERTS_PER_RUN,
      now: deps.now?.() ?? new Date(),
    });
    let alerted = 0;
    for (const r of results) {
      if (r.status === 'alerted') {
        alerted += 1;
        deps.metrics?.staleAlerts.inc();
        log.info({ leadId: r.leadId, userId: r.userId, days: r.days }, 'stale_alert_sent');
      } else if (r.reason?.startsWith('error')) {
        log.warn({ leadId: r.leadId, reason: r.reason }, 'stale_alert_failed');
      }
    }
    if (alerted > 0) wake(deps.onAlertsQueued, log);
    log.info({ alerted, skipped: results.length - alerted }, 'job_completed');
    return { status: 'completed', runId, alerted, skipped: results.length - alerted, results };
  } finally {
    // Release only our own lock: if it expired and someone else holds it now,
    // theirs stays. (Check-then-delete is not atomic; see the row lock above.)
    if ((await deps.store.get(LOCK_KEY).catch(() => null)) === runId) {
      await deps.store.delete(LOCK_KEY).catch((err: unknown) => log.warn({ err }, 'job_lock_release_failed'));
    }
  }
}

function wake(hook: (() => void) | undefined, log: Logger): void {
  try {
    hook?.();
  } catch (err) {
    // The alerts are committed; the delivery worker's poll picks them up anyway.
    log.warn({ err }, 'stale_alert_wake_failed');
  }
}
