import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../../core/store/kv-store.js';
import { createRedisStore, type RedisStore } from '../../../core/store/redis-store.js';
import { hasRedisServer, startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';
import { describeStoreContract } from './store-contract.js';

// Generous: the point is "answers in about a command timeout", not a speed target (see bench/).
const BOUND_MS = 2_000;

describe.runIf(hasRedisServer())('Redis store', () => {
  let redis: PrivateRedis;
  let store: RedisStore;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = createRedisStore({ url: redis.url, keyPrefix: 'test:' });
  });
  afterAll(async () => {
    await store?.close();
    await redis?.close();
  });

  describeStoreContract('Redis store', () => store);

  it('answers a call made right after it is created (waits for the first connection)', async () => {
    const fresh = createRedisStore({ url: redis.url });
    await expect(fresh.set('boot', '1', 60_000)).resolves.toBeUndefined();
    await fresh.close();
  });

  it('throws an error reply (a bug) as it is, not as unavailable', async () => {
    await store.set('text', 'not a number', 60_000);
    const error = await store.increment('text', 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
  });

  it('fails fast with StoreUnavailableError when Redis is gone, and closes without hanging', async () => {
    const down = await startPrivateRedis();
    const doomed = createRedisStore({ url: down.url });
    await doomed.set('k', 'v');
    await down.close();
    for (const call of [() => doomed.get('k'), () => doomed.increment('c', 1_000), () => doomed.ping()]) {
      const started = performance.now();
      await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(BOUND_MS);
    }
    await doomed.close();
  });

  it('fails fast when Redis was never there', async () => {
    const nowhere = await startPrivateRedis();
    await nowhere.close(); // a port nobody listens on
    const started = performance.now();
    const orphan = createRedisStore({ url: nowhere.url });
    await expect(orphan.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    await orphan.close();
  });
});
