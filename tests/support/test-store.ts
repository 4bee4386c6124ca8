import { randomBytes } from 'node:crypto';
import { createMemoryStore } from '../../core/store/memory-store.js';
import { createRedisStore } from '../../core/store/redis-store.js';
import type { KeyValueStore } from '../../core/store/kv-store.js';

/**
 * The real Redis when REDIS_URL is set, under a key prefix of its own that
 * close() deletes; else the in-process store.
 */
export function createTestStore(): KeyValueStore & { keyPrefix: string } {
  const url = process.env.REDIS_URL;
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  if (!url) return Object.assign(createMemoryStore(), { keyPrefix });
  const store = createRedisStore({ url, keyPrefix });
  return {
    ...store,
    keyPrefix,
    close: async () => {
      // The client has no offline queue: a file that never used the store may still be connecting.
      await store.ping();
      // keyPrefix is not applied to SCAN patterns; the match is absolute.
      let cursor = '0';
      do {
        const [next, keys] = await store.client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length) await store.client.del(...keys.map((k) => k.slice(keyPrefix.length)));
      } while (cursor !== '0');
      await store.close();
    },
  };
}
