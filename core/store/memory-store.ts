import type { KeyValueStore } from './kv-store.js';

interface Entry { value: string; expiresAt: number | null }

/** Single-instance store; expired keys are dropped when read. */
export function createMemoryStore(now: () => number = Date.now): KeyValueStore {
  const map = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const e = map.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return e;
  };
  return {
    kind: 'memory',
    async get(key) { return live(key)?.value ?? null; },
    async set(key, value, ttlMs) {
      map.set(key, { value, expiresAt: ttlMs ? now() + ttlMs : null });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (live(key)) return false;
      map.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async delete(key) { map.delete(key); },
    async increment(key, windowMs, by = 1) {
      const e = live(key);
      if (!e) {
        const count = Math.max(by, 0);
        map.set(key, { value: String(count), expiresAt: now() + windowMs });
        return { count, resetInMs: windowMs };
      }
      e.value = String(Math.max(Number(e.value) + by, 0));
      return { count: Number(e.value), resetInMs: (e.expiresAt ?? now()) - now() };
    },
    async ping() {},
    async close() { map.clear(); },
  };
}
