import { pollUntil } from './poll.js';

/**
 * A steady intake load for fault tests and benchmarks: `workers` loops, each
 * POSTing one generic-form submission at a time (a unique email each) to a
 * form webhook and recording what came back — the status and Retry-After of
 * an answer, or the error when no answer came (connection refused or reset,
 * the client's own timeout). A test decides from the record which
 * submissions were accepted (2xx) and must therefore be stored, and what the
 * others were told.
 */

export interface IntakeAttempt {
  /** The submission's unique email: how a test finds its lead. */
  email: string;
  /** Date.now() when the request was sent and when its answer (or error) came. */
  startedAt: number;
  endedAt: number;
  /** HTTP status; null when no answer came. */
  status: number | null;
  retryAfter: string | null;
  /** Why no answer came (client side), e.g. "fetch failed: ECONNREFUSED". */
  error?: string;
}

export interface IntakeLoadOptions {
  /** The webhook URL, secret included (…/webhooks/forms/<slug>?secret=…). */
  url: string;
  /** Concurrent senders; default 4. */
  workers?: number;
  /** Pause between one worker's requests, ms: keeps the load light and steady (default 10). */
  pauseMs?: number;
  /** Part of every email, unique per run: `${label}-${n}@example.com`. */
  label: string;
  /** The client's own limit per request, ms (default 15 000); past it the attempt is an error. */
  requestTimeoutMs?: number;
}

export interface IntakeLoad {
  /** Every finished attempt so far, in the order they finished. */
  readonly attempts: readonly IntakeAttempt[];
  /** Requests sent and not answered yet. */
  inFlight(): number;
  /** Resolves once `predicate` holds on the attempts so far; rejects after timeoutMs naming `what`. */
  waitFor(predicate: (attempts: readonly IntakeAttempt[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Sends no more; resolves when every request in flight has its outcome. */
  stop(): Promise<void>;
}

export const isAccepted = (a: IntakeAttempt) => a.status !== null && a.status >= 200 && a.status < 300;

/** Starts the load at once; stop() ends it. */
export function startIntakeLoad(options: IntakeLoadOptions): IntakeLoad {
  const workers = options.workers ?? 4;
  const pauseMs = options.pauseMs ?? 10;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const attempts: IntakeAttempt[] = [];
  let stopped = false;
  let seq = 0;
  let inFlight = 0;

  async function once(): Promise<void> {
    const n = ++seq;
    const email = `${options.label}-${n}@example.com`;
    const body = JSON.stringify({ name: `Load Lead ${n}`, email, message: 'Please call me back' });
    const startedAt = Date.now();
    inFlight += 1;
    try {
      const res = await fetch(options.url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer(); // read it all, so the keep-alive connection is reused
      attempts.push({ email, startedAt, endedAt: Date.now(), status: res.status, retryAfter: res.headers.get('retry-after') });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const error = `${(err as Error).message}${cause ? `: ${cause.code ?? cause.message}` : ''}`;
      attempts.push({ email, startedAt, endedAt: Date.now(), status: null, retryAfter: null, error });
    } finally {
      inFlight -= 1;
    }
  }

  const loops = Array.from({ length: workers }, async () => {
    while (!stopped) {
      await once();
      if (pauseMs > 0 && !stopped) await new Promise((r) => setTimeout(r, pauseMs));
    }
  });

  return {
    attempts,
    inFlight: () => inFlight,
    async waitFor(predicate, what, timeout = 15_000) {
      try {
        await pollUntil(() => (predicate(attempts) ? true : undefined), { what, timeoutMs: timeout, intervalMs: 20 });
      } catch (err) {
        throw new Error(`${(err as Error).message}; outcomes so far: ${summarize(attempts)}; in flight: ${inFlight}`);
      }
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** "201×40, 503×12, no answer×2 (fetch failed: ECONNREFUSED)": what a timed-out wait saw. */
export function summarize(attempts: readonly IntakeAttempt[]): string {
  const counts = new Map<string, number>();
  for (const a of attempts) {
    const key = a.status === null ? `no answer (${a.error})` : String(a.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k}×${n}`).join(', ') || 'none';
}
