import { Redis } from 'ioredis';
import type { KeyValueStore } from './kv-store.js';

// INCR and the window's expiry in one step, so a crash between them can't
// leave a counter that never resets.
const INCREMENT = `
local fresh = redis.call('EXISTS', KEYS[1]) == 0
local c = redis.call('INCRBY', KEYS[1], ARGV[2])
if c < 0 then c = 0; redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
if fresh then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`;

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key (tests use one per run). */
  keyPrefix?: string;
}

/** Shared store on Redis; `client` is exposed for grammY's storage adapter. */
export function createRedisStore(options: RedisStoreOptions): KeyValueStore & { client: Redis } {
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? '',
    maxRetriesPerRequest: 2,
    lazyConnect: false,
  });
  return {
    kind: 'redis',
    client,
    async get(key) { return client.get(key); },
    async set(key, value, ttlMs) {
      if (ttlMs) await client.set(key, value, 'PX', ttlMs);
      else await client.set(key, value);
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await client.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async delete(key) { await client.del(key); },
    async increment(key, windowMs, by = 1) {
      const [count, ttl] = (await client.eval(INCREMENT, 1, key, windowMs, by)) as [number, number];
      return { count, resetInMs: ttl > 0 ? ttl : windowMs };
    },
    async ping() { await client.ping(); },
    async close() { await client.quit(); },
  };
}
