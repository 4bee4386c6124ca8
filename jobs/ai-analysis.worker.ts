import { randomUUID } from 'node:crypto';
import type { Core } from '../core/index.js';
import type { Logger } from '../logger.js';

export interface AiWorkerDeps {
  core: Core;
  logger: Logger;
  /** Analyses at a time in this instance (AI_WORKER_CONCURRENCY); 0: the worker never starts. */
  concurrency: number;
  /** Look for work this often without a NOTIFY, ms (AI_WORKER_POLL_MS). */
  pollMs: number;
  /** One call's bound (AI_TIMEOUT_MS): a claim's lease outlives it comfortably. */
  timeoutMs: number;
}

export interface AiWorker {
  start(): Promise<void>;
  /** Stops claiming; waits for analyses in progress. */
  stop(): Promise<void>;
  /** One pass: claims what is due (up to the concurrency) and runs it; resolves when done. Tests call it. */
  runOnce(): Promise<number>;
}

/**
 * Scores new and newly qualified leads (§7 "when") soon after they arrive,
 * off the intake path: the leads' triggers queue a request and NOTIFY;
 * this wakes, claims with SKIP LOCKED under a lease (safe with several
 * workers and instances), and runs up to `concurrency` analyses at once
 * until nothing is due, then sleeps until the next NOTIFY, the next due
 * time or the poll. Caps apply in core (past AI_DAILY_CAP the rules score).
 */
export function createAiWorker(deps: AiWorkerDeps): AiWorker {
  const log = deps.logger.child({ component: 'ai_worker' });
  const token = randomUUID();
  const leaseMs = deps.timeoutMs + 30_000;
  let running = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let pass: Promise<number> | null = null;
  let again = false;
  let unlisten: (() => Promise<void>) | null = null;

  async function runPass(): Promise<number> {
    let done = 0;
    for (;;) {
      const claimed = await deps.core.ai.claimRequests({ limit: Math.max(1, deps.concurrency), leaseMs, token });
      if (claimed.length === 0) return done;
      await Promise.all(claimed.map((r) => deps.core.ai.runRequest(r, { token, retryMs: deps.pollMs })));
      done += claimed.length;
      if (stopping) return done; // finish what was claimed, take nothing new
    }
  }

  /** Runs passes back to back while wake-ups keep coming; one at a time. */
  function wake(): Promise<number> {
    if (pass) {
      again = true;
      return pass;
    }
    pass = runPass()
      .catch((err: unknown) => {
        log.warn({ err }, 'ai_worker_pass_failed');
        return 0;
      })
      .finally(() => {
        pass = null;
        if (again && running) {
          again = false;
          void wake();
        } else {
          void schedule();
        }
      });
    return pass;
  }

  async function schedule(): Promise<void> {
    if (!running) return;
    if (timer) clearTimeout(timer);
    let delay = deps.pollMs;
    try {
      const due = await deps.core.ai.nextRequestDueAt();
      if (due) delay = Math.min(delay, Math.max(0, due.getTime() - Date.now()));
    } catch {
      // The database is away: the poll tries again.
    }
    if (!running) return;
    timer = setTimeout(() => void wake(), delay);
    timer.unref();
  }

  return {
    async start() {
      if (running || deps.concurrency <= 0) return;
      running = true;
      unlisten = await deps.core.ai.onRequested(() => { if (running) void wake(); });
      void wake();
      log.info({ concurrency: deps.concurrency }, 'ai_worker_started');
    },
    async stop() {
      running = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      await unlisten?.();
      await pass;
    },
    runOnce: () => runPass(),
  };
}
