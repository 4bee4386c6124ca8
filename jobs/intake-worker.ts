import type { Core, ProcessResult } from '../core/index.js';
import type { Logger } from '../logger.js';

export interface IntakeWorkerDeps {
  core: Core;
  logger: Logger;
  /** How often to look at the journal when nothing wakes the worker (other instances' leftovers, retries falling due), ms. Default 1000. */
  pollMs?: number;
  /** Submissions claimed per batch. Default 50. */
  batch?: number;
  /** Submissions processed at once within a batch. Default 4. */
  concurrency?: number;
}

export interface IntakeWorker {
  /** Processes continuously: on wake(), straight on after a full batch, and every pollMs. */
  start(): void;
  /** Stops claiming and waits for the batch in progress (its rows are finished or, if cut short, reclaimed after their lease). */
  stop(): Promise<void>;
  /** A submission was journaled here: look now. */
  wake(): void;
}

/**
 * The intake worker (§11, issue 14): runs core.intake.processDue in a loop,
 * one batch at a time per instance; several instances share the journal
 * (claims SKIP LOCKED). A full batch goes straight on to the next; an
 * empty or partial one waits for a wake-up or the poll.
 */
export function createIntakeWorker(deps: IntakeWorkerDeps): IntakeWorker {
  const log = deps.logger.child({ component: 'intake_worker' });
  const pollMs = deps.pollMs ?? 1_000;
  const batch = deps.batch ?? 50;
  let started = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  function schedule(ms: number): void {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = null; pump(); }, ms);
  }

  function pump(): void {
    if (!started) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      let results: ProcessResult[];
      do {
        again = false;
        results = await deps.core.intake.processDue({ limit: batch, ...(deps.concurrency ? { concurrency: deps.concurrency } : {}) });
        const setAside = results.filter((r) => r.status === 'set_aside').length;
        if (setAside) log.warn({ set_aside: setAside }, 'intake_batch_set_aside');
      } while (started && (again || results.length === batch));
      schedule(pollMs);
    })().catch((err: unknown) => {
      log.warn({ err }, 'intake_claim_failed');
      schedule(pollMs);
    }).finally(() => { running = null; });
  }

  return {
    start() {
      if (started) return;
      started = true;
      pump();
    },
    async stop() {
      started = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    wake: pump,
  };
}
