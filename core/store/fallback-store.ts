import { StoreUnavailableError, type KeyValueStore, type StoreState } from './kv-store.js';

export interface FallbackStoreOptions {
  /** The shared store (Redis); it signals an outage by throwing StoreUnavailableError. */
  primary: KeyValueStore;
  /** Serves while the primary cannot (the in-process store). */
  fallback: KeyValueStore;
  /**
   * Called once per change of state: 'degraded' with the error that showed
   * the primary down, 'ok' when it answers again. Must not throw.
   */
  onStateChange?: (state: StoreState, cause?: unknown) => void;
}

export interface FallbackStore extends KeyValueStore {
  state(): StoreState;
}

/**
 * A store that degrades instead of breaking: every call goes to the primary;
 * when it is unavailable, the call is served by the fallback and the state
 * turns 'degraded', and the first call the primary answers turns it back to
 * 'ok' (the caller may also ping() when it learns the primary is back).
 * While degraded, rate limits and short-lived state (undo tokens, list
 * pages, locks) live in this process only — right for one instance, the
 * documented degraded mode. Keys written while degraded stay visible after
 * recovery until they expire (a read the primary misses, or a lock the
 * primary would grant, looks at them), so a button made during an outage
 * still works after it; counts made while degraded are not carried over.
 * ping() still throws while the primary is down, so /health reports it.
 * Other errors of the primary (bugs) are thrown as they are.
 */
export function createFallbackStore(options: FallbackStoreOptions): FallbackStore {
  const { primary, fallback, onStateChange } = options;
  let state: StoreState = 'ok';
  const enter = (next: StoreState, cause?: unknown) => {
    if (state === next) return;
    state = next;
    onStateChange?.(next, cause);
  };

  async function attempt<T>(onPrimary: () => Promise<T>, onFallback: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await onPrimary();
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      enter('degraded', err);
      return onFallback();
    }
    enter('ok');
    return result;
  }

  return {
    kind: primary.kind,
    state: () => state,
    get: (key) => attempt(
      async () => (await primary.get(key)) ?? (await fallback.get(key)),
      () => fallback.get(key),
    ),
    set: (key, value, ttlMs) => attempt(
      async () => {
        await primary.set(key, value, ttlMs);
        // An older copy from an outage must not reappear once this one expires.
        await fallback.delete(key);
      },
      () => fallback.set(key, value, ttlMs),
    ),
    setIfAbsent: async (key, value, ttlMs) => {
      // Taken here during an outage and still held: the primary never heard of it.
      if ((await fallback.get(key)) !== null) return false;
      return attempt(() => primary.setIfAbsent(key, value, ttlMs), () => fallback.setIfAbsent(key, value, ttlMs));
    },
    delete: async (key) => {
      await fallback.delete(key);
      await attempt(() => primary.delete(key), async () => {});
    },
    increment: (key, windowMs, by) => attempt(
      () => primary.increment(key, windowMs, by),
      () => fallback.increment(key, windowMs, by),
    ),
    ping: async () => {
      try {
        await primary.ping();
      } catch (err) {
        if (err instanceof StoreUnavailableError) enter('degraded', err);
        throw err;
      }
      enter('ok');
    },
    async close() {
      await primary.close();
      await fallback.close();
    },
  };
}
