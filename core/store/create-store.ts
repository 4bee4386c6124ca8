import type { KeyValueStore } from './kv-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';

/** Redis when a URL is given, else the in-process store (one instance only). */
export function createStore(options: { redisUrl?: string | undefined; keyPrefix?: string }): KeyValueStore {
  if (!options.redisUrl) return createMemoryStore();
  return createRedisStore({ url: options.redisUrl, ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}) });
}
