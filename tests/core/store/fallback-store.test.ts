import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RateLimitedError } from '../../../core/errors.js';
import { createConfig } from '../../../config.js';
import { createRateLimiter, rateLimitsFrom } from '../../../core/security/rate-limit.js';

const RATE_LIMITS = rateLimitsFrom(createConfig({}));
import { createStore } from '../../../core/store/create-store.js';
import { StoreUnavailableError, type StoreState } from '../../../core/store/kv-store.js';
import { createRedisStore, type RedisStore } from '../../../core/store/redis-store.js';
import { hasRedisServer, startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';
import { waitFor } from '../../support/wait-for.js';

// Loose on purpose: "answers about at once instead of after ~9 s", not a speed target (see bench/).
const BOUND_MS = 2_000;

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}

describe.runIf(hasRedisServer())('when Redis goes away and comes back', () => {
  let redis: PrivateRedis;
  let store: ReturnType<typeof createStore>;
  let direct: RedisStore; // reads Redis itself, to tell where a value went
  const states: StoreState[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => { unhandled.push(err); };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = createStore({ redisUrl: redis.url, keyPrefix: 'crm:', onStateChange: (s) => states.push(s) });
    direct = createRedisStore({ url: redis.url, keyPrefix: 'crm:' });
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await store?.close();
    await direct?.close();
    await redis?.close();
  });
  // ioredis prints "[ioredis] Unhandled error event" when nobody listens for 'error'.
  let consoleError: ReturnType<typeof vi.spyOn>;
  beforeAll(() => { consoleError = vi.spyOn(console, 'error'); });
  afterAll(() => { consoleError.mockRestore(); });

  // The steps below run in order against one Redis that the test stops and starts.
  it('serves from Redis while it is up', async () => {
    await store.set('bot:leads-page:before', 'page-1', 60_000);
    expect(await direct.get('bot:leads-page:before')).toBe('page-1');
    expect(store.state()).toBe('ok');
    expect(store.kind).toBe('redis');
  });

  it('throws an error reply (a bug) as it is, without degrading', async () => {
    await store.set('not-a-counter', 'text', 60_000);
    const error = await store.increment('not-a-counter', 60_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect(store.state()).toBe('ok');
  });

  it('with Redis stopped, answers every call from the process at once, and reports degraded once', async () => {
    await redis.stop();
    const write = await timed(() => store.set('bot:leads-page:during', 'page-2', 60_000));
    const read = await timed(() => store.get('bot:leads-page:during'));
    expect(read.value).toBe('page-2');
    expect(write.ms).toBeLessThan(BOUND_MS);
    expect(read.ms).toBeLessThan(BOUND_MS);
    expect(await store.setIfAbsent('lock:job:stale-leads', 'run-1', 60_000)).toBe(true);
    expect(await store.setIfAbsent('lock:job:stale-leads', 'run-2', 60_000)).toBe(false);
    expect(store.state()).toBe('degraded');
    expect(states).toEqual(['degraded']);
  });

  it('keeps rate limits counting in the process while Redis is down', async () => {
    const limiter = createRateLimiter(store, { ...RATE_LIMITS, file_upload: { limit: 3, windowMs: 60_000 } });
    for (let left = 2; left >= 0; left--) expect(await limiter.consume(7, 'file_upload')).toEqual({ remaining: left });
    const refusal = await timed(() => limiter.consume(7, 'file_upload').catch((e: unknown) => e));
    expect(refusal.value).toBeInstanceOf(RateLimitedError);
    expect(refusal.ms).toBeLessThan(BOUND_MS);
    // A refund gives a use back, in the process too: the refused try was not counted, so 3 → 2.
    await limiter.refund(7, 'file_upload');
    expect(await limiter.consume(7, 'file_upload')).toEqual({ remaining: 0 });
  });

  it('still fails ping, so /health reports Redis unhealthy', async () => {
    const ping = await timed(() => store.ping().then(() => 'answered', () => 'failed'));
    expect(ping.value).toBe('failed');
    expect(ping.ms).toBeLessThan(BOUND_MS);
  });

  it('goes back to Redis by itself once Redis is started again on the same port', async () => {
    await redis.start();
    await waitFor(() => store.state() === 'ok', { timeoutMs: 10_000, what: 'the store to recover' });
    expect(states).toEqual(['degraded', 'ok']);
    await store.set('bot:leads-page:after', 'page-3', 60_000);
    expect(await direct.get('bot:leads-page:after')).toBe('page-3');
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('still finds what was written during the outage, and still honours its lock', async () => {
    // Redis restarted empty; the page a button points to lives on in the process until it expires.
    expect(await store.get('bot:leads-page:during')).toBe('page-2');
    expect(await store.setIfAbsent('lock:job:stale-leads', 'run-3', 60_000)).toBe(false);
    await store.delete('lock:job:stale-leads');
    expect(await store.setIfAbsent('lock:job:stale-leads', 'run-3', 60_000)).toBe(true);
    expect(await direct.get('lock:job:stale-leads')).toBe('run-3');
  });

  it('never threw or printed an unhandled error along the way', () => {
    expect(unhandled).toEqual([]);
    expect(consoleError).not.toHaveBeenCalled();
  });
});

describe.runIf(hasRedisServer())('when Redis hangs (connected, never answering)', () => {
  let redis: PrivateRedis;
  let store: ReturnType<typeof createStore>;
  const states: StoreState[] = [];
  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = createStore({ redisUrl: redis.url, commandTimeoutMs: 200, onStateChange: (s) => states.push(s) });
    await store.set('k', 'in redis', 60_000);
  });
  afterAll(async () => {
    await store?.close();
    await redis?.close();
  });

  it('times out within the command timeout, serves from the process, and recovers when Redis answers again', async () => {
    redis.pause();
    const first = await timed(() => store.set('during', 'in process', 60_000));
    expect(first.ms).toBeLessThan(BOUND_MS);
    expect(store.state()).toBe('degraded');
    const read = await timed(() => store.get('during'));
    expect(read.value).toBe('in process');
    expect(read.ms).toBeLessThan(BOUND_MS);
    redis.resume();
    await waitFor(async () => (await store.get('k')) === 'in redis', { timeoutMs: 10_000, what: 'Redis to answer again' });
    expect(store.state()).toBe('ok');
    expect(states).toEqual(['degraded', 'ok']);
  });
});
