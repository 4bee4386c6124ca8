/** What one attempt's answer means for the delivery (§13). */
export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'failed'; why: 'client_error' | 'attempts' | 'age' }
  /** 410 Gone: the receiver asked to stop; the subscription is disabled. */
  | { kind: 'gone' };

export interface RetryPolicy {
  maxAttempts: number;
  /** Deliveries older than this (ms since the event) are not tried again. */
  maxAgeMs: number;
  /** First retry after about this many ms; doubling after that. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: Omit<RetryPolicy, 'maxAttempts' | 'maxAgeMs'> = { baseDelayMs: 5_000, maxDelayMs: 3_600_000 };

/** Retry-After as seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * Decides after an attempt (§13): 2xx delivered; 410 gone; network errors,
 * timeouts (status null), 408, 429 and 5xx are retried with exponential
 * backoff and full jitter (`random` in [0, 1)), honouring Retry-After when
 * the receiver sends one; any other status is final (no retry on 4xx).
 * Retries stop at maxAttempts or when the next try would fall past
 * maxAgeMs from the event. Pure.
 */
export function decideAfterAttempt(p: {
  status: number | null; retryAfter: number | null; attempts: number; ageMs: number; policy: RetryPolicy; random: number;
}): AttemptOutcome {
  const { status, policy } = p;
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 410) return { kind: 'gone' };
  const retryable = status === null || status === 408 || status === 429 || status >= 500;
  if (!retryable) return { kind: 'failed', why: 'client_error' };
  if (p.attempts >= policy.maxAttempts) return { kind: 'failed', why: 'attempts' };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (p.attempts - 1));
  // Full jitter on half the window: spreads receivers' recoveries without ever retrying at once.
  const jittered = backoff / 2 + (backoff / 2) * p.random;
  const delayMs = Math.round(p.retryAfter !== null ? Math.max(p.retryAfter, 1_000) : jittered);
  if (p.ageMs + delayMs > policy.maxAgeMs) return { kind: 'failed', why: 'age' };
  return { kind: 'retry', delayMs };
}
