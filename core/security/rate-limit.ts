import { RateLimitedError } from '../errors.js';
import type { KeyValueStore } from '../store/kv-store.js';

const HOUR_MS = 3_600_000;

/** §16 per-user limits: uses per window (ms). */
export const RATE_LIMITS = {
  lead_creation: { limit: 10, windowMs: HOUR_MS },
  ai_analysis: { limit: 20, windowMs: 24 * HOUR_MS },
  stage_transition: { limit: 100, windowMs: HOUR_MS },
  file_upload: { limit: 5, windowMs: HOUR_MS },
} as const satisfies Record<string, { limit: number; windowMs: number }>;

export type RateLimitedAction = keyof typeof RATE_LIMITS;

export interface RateLimiter {
  /**
   * Counts one use of `action` by the user and returns how many are left in
   * the window. Throws RateLimitedError (with retryAfterMs) once the limit
   * is reached; a refused use is not counted against the next window.
   */
  consume(userId: number, action: RateLimitedAction): Promise<{ remaining: number }>;
}

/**
 * Per-user rate limits (§16) on the shared store: with Redis, every
 * instance counts in the same atomic counter. Fixed windows that start at
 * a user's first use.
 */
export function createRateLimiter(
  store: KeyValueStore, limits: Record<RateLimitedAction, { limit: number; windowMs: number }> = RATE_LIMITS,
): RateLimiter {
  return {
    async consume(userId, action) {
      const { limit, windowMs } = limits[action];
      const { count, resetInMs } = await store.increment(`ratelimit:${action}:${userId}`, windowMs);
      if (count > limit) throw new RateLimitedError(action, limit, resetInMs);
      return { remaining: limit - count };
    },
  };
}
