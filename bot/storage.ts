import type { StorageAdapter } from 'grammy';
import { type KeyValueStore } from '../core/index.js';

/**
 * grammY storage adapter over the app's KeyValueStore: with Redis behind it,
 * conversation state survives restarts and another instance can continue a
 * conversation that this one started. Values are JSON; a TTL bounds how long
 * an abandoned conversation lingers.
 */
export function createKvStorageAdapter<T>(
  store: KeyValueStore, options: { prefix: string; ttlMs?: number },
): StorageAdapter<T> {
  const key = (k: string) => `${options.prefix}${k}`;
  return {
    async read(k) {
      const raw = await store.get(key(k));
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async write(k, value) {
      await store.set(key(k), JSON.stringify(value), options.ttlMs);
    },
    async delete(k) {
      await store.delete(key(k));
    },
  };
}
