import type { Config } from '../../config.js';
import { DomainError, RateLimitedError } from '../errors.js';
import type { KeyValueStore } from '../store/kv-store.js';

const HOUR_MS = 3_600_000;

export interface RateLimit { limit: number; windowMs: number }
export const RATE_LIMITED_ACTIONS = ['lead_creation', 'ai_analysis', 'stage_transition', 'file_upload'] as const;
export type RateLimitedAction = (typeof RATE_LIMITED_ACTIONS)[number];
export type RateLimits = Record<RateLimitedAction, RateLimit>;

/** §16 per-user limits, uses per window (ms), from the RATE_LIMIT_* settings (defaults: 10/h, 20/day, 100/h, 5/h). */
export function rateLimitsFrom(config: Pick<Config,
  'RATE_LIMIT_LEAD_CREATIONS_PER_HOUR' | 'RATE_LIMIT_AI_ANALYSES_PER_DAY' | 'RATE_LIMIT_STAGE_CHANGES_PER_HOUR'
  | 'RATE_LIMIT_FILE_UPLOADS_PER_HOUR'>): RateLimits {
  return {
    lead_creation: { limit: config.RATE_LIMIT_LEAD_CREATIONS_PER_HOUR, windowMs: HOUR_MS },
    ai_analysis: { limit: config.RATE_LIMIT_AI_ANALYSES_PER_DAY, windowMs: 24 * HOUR_MS },
    stage_transition: { limit: config.RATE_LIMIT_STAGE_CHANGES_PER_HOUR, windowMs: HOUR_MS },
    file_upload: { limit: config.RATE_LIMIT_FILE_UPLOADS_PER_HOUR, windowMs: HOUR_MS },
  };
}

export interface RateLimiter {
  /**
   * Counts `uses` (default 1) of `action` by the user and returns how many
   * are left in the window. Throws RateLimitedError (with retryAfterMs) when
   * they would pass the limit; a refused use is not counted.
   */
  consume(userId: number, action: RateLimitedAction, uses?: number): Promise<{ remaining: number }>;
  /** Gives back uses that did not happen (the action was refused). */
  refund(userId: number, action: RateLimitedAction, uses?: number): Promise<void>;
}

/**
 * Per-user rate limits (§16) on the shared store: with Redis, every
 * instance counts in the same atomic counter. Fixed windows that start at
 * a user's first use.
 */
export function createRateLimiter(store: KeyValueStore, limits: RateLimits): RateLimiter {
  const key = (action: RateLimitedAction, userId: number) => `ratelimit:${action}:${userId}`;
  return {
    async consume(userId, action, uses = 1) {
      const { limit, windowMs } = limits[action];
      const { count, resetInMs } = await store.increment(key(action, userId), windowMs, uses);
      if (count > limit) {
        await store.increment(key(action, userId), windowMs, -uses);
        throw new RateLimitedError(action, limit, resetInMs);
      }
      return { remaining: limit - count };
    },
    async refund(userId, action, uses = 1) {
      await store.increment(key(action, userId), limits[action].windowMs, -uses);
    },
  };
}

/**
 * Runs `fn` as one use of `action` (§16): counted before, given back when
 * `fn` is refused with a domain error (a stale card, a double tap, a rule),
 * so only what happened uses up the quota. Other errors keep the use: they
 * may have changed something.
 */
export async function withQuota<T>(
  limiter: RateLimiter, userId: number, action: RateLimitedAction, fn: () => Promise<T>,
): Promise<T> {
  await limiter.consume(userId, action);
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DomainError) await limiter.refund(userId, action);
    throw err;
  }
}
