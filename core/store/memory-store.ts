import { LRUCache } from 'lru-cache';
import type { KeyValueStore } from './kv-store.js';

/**
 * At most this many keys. Far above what one instance keeps live: a /leads
 * or /bulk view writes one key that lives 24 h, so 500,000 is a team tapping
 * ~350 pages a minute all day; bench/memory.bench.ts measures about 0.3 KB
 * of heap per such key, so the bound also caps the store near 150 MB. Past
 * it the least recently used key goes first — an old list page, not a
 * counter or a lock that is being used.
 */
export const MEMORY_STORE_MAX_ENTRIES = 500_000;
/** How often expired keys are swept out without being read, in ms. */
export const MEMORY_STORE_PURGE_INTERVAL_MS = 60_000;

export interface MemoryStoreOptions {
  /** The clock in ms (tests move it by hand); default: monotonic performance.now(). */
  now?: () => number;
  maxEntries?: number;
  /** ms between sweeps of expired keys; 0 turns the timer off (tests call purgeStale). */
  purgeIntervalMs?: number;
}

/** The in-process store, plus what tests and the memory bench look at. */
export interface MemoryStore extends KeyValueStore {
  readonly kind: 'memory';
  /** Keys held, expired ones not yet swept included. */
  size(): number;
  /** Drops every expired key now (the timer does it every purgeIntervalMs). */
  purgeStale(): void;
}

/**
 * Single-instance store on an LRU cache with a TTL per key. Expired keys are
 * swept on a timer as well as dropped when read, so keys written once and
 * never read again (list pages) do not pile up until a restart. The timer is
 * unref'd: it never keeps the process alive. A bare clock function is still
 * accepted in place of the options.
 */
export function createMemoryStore(options: MemoryStoreOptions | (() => number) = {}): MemoryStore {
  const { now, maxEntries = MEMORY_STORE_MAX_ENTRIES, purgeIntervalMs = MEMORY_STORE_PURGE_INTERVAL_MS } =
    typeof options === 'function' ? { now: options } : options;
  const cache = new LRUCache<string, string>({
    // An entry bound through maxSize (each key weighs 1) rather than `max`:
    // `max` preallocates its arrays, ~30 MB and ~0.3 s for 500,000 keys, in
    // every process and test that makes a store, most of which hold a few keys.
    maxSize: maxEntries,
    sizeCalculation: () => 1,
    // Read the clock on every check: lru-cache's cached reading is reset by a
    // timer, which runs late on a busy event loop and then serves stale times.
    ttlResolution: 0,
    // lru-cache reads a start time of 0 as "no TTL", so a clock that starts at 0 is shifted by 1 ms.
    ...(now ? { perf: { now: () => now() + 1 } } : {}),
  });
  const timer = purgeIntervalMs > 0 ? setInterval(() => cache.purgeStale(), purgeIntervalMs).unref() : null;

  // ms left for a live key (Infinity without a TTL), 0 when absent. A key is
  // gone once its TTL has fully elapsed, as in Redis; lru-cache alone would
  // still serve it for that last millisecond.
  const remaining = (key: string): number => {
    const left = cache.getRemainingTTL(key);
    if (left > 0) return left;
    cache.delete(key);
    return 0;
  };

  return {
    kind: 'memory',
    size: () => cache.size,
    purgeStale: () => { cache.purgeStale(); },
    async get(key) {
      return remaining(key) > 0 ? cache.get(key) ?? null : null;
    },
    async set(key, value, ttlMs) {
      cache.set(key, value, { ttl: ttlMs ?? 0 });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (remaining(key) > 0) return false;
      cache.set(key, value, { ttl: ttlMs });
      return true;
    },
    async delete(key) { cache.delete(key); },
    async increment(key, windowMs, by = 1) {
      const left = remaining(key);
      if (left === 0) {
        if (by <= 0) return { count: 0, resetInMs: windowMs };
        cache.set(key, String(by), { ttl: windowMs });
        return { count: by, resetInMs: windowMs };
      }
      const count = Math.max(0, Number(cache.get(key)) + by);
      // A counter without a TTL (set by hand) gets a window now, as the Redis script does.
      if (left === Infinity) cache.set(key, String(count), { ttl: windowMs });
      else cache.set(key, String(count), { noUpdateTTL: true });
      // Whole ms, as Redis gives them (the default clock has fractions).
      return { count, resetInMs: left === Infinity ? windowMs : Math.ceil(left) };
    },
    async ping() {},
    async close() {
      if (timer) clearInterval(timer);
      cache.clear();
    },
  };
}
