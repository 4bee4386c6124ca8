import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Config } from '../config.js';
import type { Core, KeyValueStore } from '../core/index.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { JOB_NAME as STALE_LEADS, SCHEDULE as STALE_SCHEDULE, runStaleLeads } from './stale-leads.job.js';
import { JOB_NAME as FOLLOWUPS, SCHEDULE as FOLLOWUPS_SCHEDULE, runFollowups } from './followups.job.js';

type JobName = typeof STALE_LEADS | typeof FOLLOWUPS;

export interface JobsDeps {
  config: Pick<Config, 'JOBS_ENABLED' | 'STALE_CRON' | 'FOLLOWUPS_CRON'>;
  core: Core;
  store: KeyValueStore;
  logger: Logger;
  metrics?: Pick<Metrics, 'staleAlerts'>;
}

export interface Jobs {
  /** Schedules every job; a no-op when JOBS_ENABLED is false. */
  start(): void;
  /** Unschedules, then waits for runs in progress (graceful shutdown). */
  stop(): Promise<void>;
  /** For /health: running = scheduled now; lastRunAt = last finished run of any job. */
  status(): { running: boolean; lastRunAt: Date | null };
  /** Runs a job now, outside its schedule (admin command, tests). */
  runNow(name: JobName): Promise<void>;
}

/** The scheduled jobs (§10) on node-cron; every run is logged, none throws. */
export function createJobs(deps: JobsDeps): Jobs {
  const log = deps.logger.child({ component: 'jobs' });
  const inFlight = new Set<Promise<void>>();
  let tasks: ScheduledTask[] = [];
  let lastRunAt: Date | null = null;

  const runners: Record<JobName, () => Promise<unknown>> = {
    [FOLLOWUPS]: () => runFollowups({ core: deps.core, store: deps.store, logger: deps.logger }),
    [STALE_LEADS]: () => runStaleLeads({
      core: deps.core,
      store: deps.store,
      logger: deps.logger,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    }),
  };

  // A failed run is logged and retried at the next tick; it must never
  // reach node-cron (or the process) as an unhandled rejection.
  const run = (name: JobName): Promise<void> => {
    const p = runners[name]()
      .then(() => undefined, (err: unknown) => log.error({ err, job: name }, 'job_failed'))
      .finally(() => {
        lastRunAt = new Date();
        inFlight.delete(p);
      });
    inFlight.add(p);
    return p;
  };

  return {
    start() {
      if (!deps.config.JOBS_ENABLED) {
        log.info('jobs_disabled');
        return;
      }
      if (tasks.length) return;
      const schedules: [JobName, string][] = [
        [STALE_LEADS, STALE_SCHEDULE(deps.config)], [FOLLOWUPS, FOLLOWUPS_SCHEDULE(deps.config)],
      ];
      for (const [name, schedule] of schedules) {
        // noOverlap: a slow run is not stacked by the next tick in this
        // process; the store lock covers other instances.
        const task = createTask(schedule, () => run(name), { name, noOverlap: true, logger: cronLogger(log) });
        task.start();
        tasks.push(task);
        log.info({ job: name, schedule }, 'job_scheduled');
      }
    },
    async stop() {
      const stopping = tasks;
      tasks = [];
      for (const t of stopping) await t.destroy();
      await Promise.allSettled([...inFlight]);
    },
    status: () => ({ running: tasks.length > 0, lastRunAt }),
    runNow: (name) => run(name),
  };
}

/** node-cron's own warnings (missed ticks, overlaps) go to pino, not the console. */
function cronLogger(log: Logger): CronLogger {
  const line = (m: string | Error, err?: Error) =>
    (m instanceof Error ? [{ err: m }, 'cron_message'] : [{ err }, m]) as [object, string];
  return {
    info: (m) => log.info(m),
    warn: (m) => log.warn(m),
    error: (m, err) => log.error(...line(m, err)),
    debug: (m, err) => log.debug(...line(m, err)),
  };
}
