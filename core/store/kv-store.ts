/**
 * What several app instances must share (§16 rate limits, bot sessions and
 * conversations, locks, caches): Redis when REDIS_URL is set, else an
 * in-process map that serves a single instance.
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** ttlMs: milliseconds to live; absent → no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only if the key is absent; true when this call set it (a lock taken). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Atomic fixed-window counter: adds `by` (default 1; negative to refund a
   * use, never below 0) and returns the count in the current window and the
   * milliseconds until the window resets.
   */
  increment(key: string, windowMs: number, by?: number): Promise<{ count: number; resetInMs: number }>;
  /** Resolves when the store answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
