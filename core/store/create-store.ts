import type { KeyValueStore, StoreState } from './kv-store.js';
import { createFallbackStore } from './fallback-store.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';

export interface CreateStoreOptions {
  redisUrl?: string | undefined;
  keyPrefix?: string;
  /** Milliseconds a Redis command may take before the call is served in-process; default 500. */
  commandTimeoutMs?: number;
  /** Redis went away ('degraded', with the error) or came back ('ok'); once per change. Must not throw. */
  onStateChange?: (state: StoreState, cause?: unknown) => void;
}

/**
 * With a URL: Redis, falling back to an in-process store while Redis is
 * unreachable (see createFallbackStore) and back to Redis as soon as it
 * reconnects. Without: the in-process store alone (one instance only),
 * whose state is always 'ok'.
 */
export function createStore(options: CreateStoreOptions): KeyValueStore & { state(): StoreState } {
  if (!options.redisUrl) return Object.assign(createMemoryStore(), { state: (): StoreState => 'ok' });
  const redis = createRedisStore({
    url: options.redisUrl, keyPrefix: options.keyPrefix, commandTimeoutMs: options.commandTimeoutMs,
  });
  const store = createFallbackStore({ primary: redis, fallback: createMemoryStore(), onStateChange: options.onStateChange });
  // Reconnected: say so now rather than at the next call. A ping that fails
  // again only confirms 'degraded', so its error is dropped here.
  redis.client.on('ready', () => { store.ping().catch(() => {}); });
  return store;
}
