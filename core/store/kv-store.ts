/**
 * What several app instances must share (§16 rate limits, bot sessions and
 * conversations, locks, caches): Redis when REDIS_URL is set, else an
 * in-process store that serves a single instance.
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** ttlMs: milliseconds to live; absent or 0 → no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only if the key is absent; true when this call set it (a lock taken). ttlMs in milliseconds. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Atomic fixed-window counter: adds `by` (default 1; negative to refund a
   * use, e.g. for an action that was refused after all) and returns the
   * count in the current window, never below 0, and the milliseconds until
   * the window resets. The window (windowMs) starts at the first use and
   * later calls do not extend it; a refund on a counter that does not exist
   * stores nothing and returns count 0.
   */
  increment(key: string, windowMs: number, by?: number): Promise<{ count: number; resetInMs: number }>;
  /** Resolves when the store answers; throws when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Whether the store is serving from its shared backend or, for now, from the process. */
export type StoreState = 'ok' | 'degraded';

/**
 * The backend cannot answer right now (connection refused or lost, command
 * timed out, server loading): the operation may be served elsewhere. Any
 * other error (a bad command, a wrong type) is a bug and is thrown as is.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  readonly code = 'STORE_UNAVAILABLE';
  constructor(backend: string, cause: unknown) {
    super(`${backend} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
