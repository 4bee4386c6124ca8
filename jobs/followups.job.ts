import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { withCorrelationId, type Core, type KeyValueStore } from '../core/index.js';
import type { Logger } from '../logger.js';

export const JOB_NAME = 'followups';

/** Issue 11: every minute by default (FOLLOWUPS_CRON), so an SLA, a rung or a digest is at most a minute late. */
export const SCHEDULE = (config: Pick<Config, 'FOLLOWUPS_CRON'>): string => config.FOLLOWUPS_CRON;

const LOCK_KEY = `lock:job:${JOB_NAME}`;
const LOCK_TTL_MS = 5 * 60_000;

export interface FollowupsDeps { core: Core; store: KeyValueStore; logger: Logger; now?: () => Date }

export type FollowupsRun =
  | ({ status: 'completed'; runId: string } & Awaited<ReturnType<Core['followups']['run']>>)
  | { status: 'locked'; runId: string };

/**
 * One run of the follow-ups job: waiting leads assigned, SLA alerts, the
 * escalation ladder, daily digests (core.followups.run). The store lock
 * only saves work: core re-checks everything under row locks and unique
 * rows, so two instances at once never send anything twice.
 */
export async function runFollowups(deps: FollowupsDeps): Promise<FollowupsRun> {
  const runId = randomUUID();
  const log = deps.logger.child({ job: JOB_NAME, run_id: runId });
  if (!(await deps.store.setIfAbsent(LOCK_KEY, runId, LOCK_TTL_MS))) {
    log.debug('job_skipped_locked');
    return { status: 'locked', runId };
  }
  try {
    const result = await withCorrelationId(`job:${JOB_NAME}:${runId}`, () => deps.core.followups.run(deps.now?.()));
    const counts = {
      picked_up: result.pickedUp.length, sla_alerts: result.sla.length, escalations: result.ladder.length, digests: result.digests.length,
    };
    if (Object.values(counts).some((n) => n > 0)) log.info(counts, 'job_completed');
    return { status: 'completed', runId, ...result };
  } finally {
    if ((await deps.store.get(LOCK_KEY).catch(() => null)) === runId) {
      await deps.store.delete(LOCK_KEY).catch((err: unknown) => log.warn({ err }, 'job_lock_release_failed'));
    }
  }
}
