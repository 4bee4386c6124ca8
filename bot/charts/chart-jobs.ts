import type { Logger } from '../../logger.js';
import { errorFields } from '../log-fields.js';

/**
 * Where charts are drawn and sent: off the update's path (§14). A handler
 * checks rights and reads the numbers, then hands the drawing and the
 * upload here and returns, so its chat is free for the next update at
 * once. Jobs run one at a time per process: drawing is CPU work, and a
 * burst of /report taps must not starve the event loop that serves
 * everything else. A failed job is logged and calls its onError.
 */
export interface ChartJobs {
  run(job: () => Promise<void>, onError?: (err: unknown) => Promise<void>): void;
  /** Resolves when every job queued so far is done (tests; a graceful stop). */
  idle(): Promise<void>;
}

export function createChartJobs(logger: Logger): ChartJobs {
  let tail: Promise<void> = Promise.resolve();
  return {
    run(job, onError) {
      tail = tail.then(async () => {
        // Yield first: the update that queued this job finishes before the CPU work starts.
        await new Promise<void>((resolve) => setImmediate(resolve));
        try {
          await job();
        } catch (err) {
          logger.error(errorFields(err), 'chart_job_failed');
          await onError?.(err).catch((e: unknown) => logger.warn(errorFields(e), 'chart_job_error_report_failed'));
        }
      });
    },
    idle: () => tail,
  };
}
