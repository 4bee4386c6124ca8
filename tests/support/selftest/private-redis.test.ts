import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../poll.js';
import { hasRedisServer, startPrivateRedis, type PrivateRedis } from '../private-redis.js';

// A redis-server of the test's own: stop() really takes Redis away from a
// client, start() brings it back (empty) on the same URL.

describe.skipIf(!hasRedisServer())('a private redis-server', () => {
  let redis: PrivateRedis;
  let client: Redis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    client = new Redis(redis.url, { enableOfflineQueue: false, retryStrategy: () => 50 });
    client.on('error', () => {}); // expected while the server is down
    await pollUntil(() => (client.status === 'ready' ? true : undefined), { what: 'the client to connect' });
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.close();
  });

  it('answers on its own port, refuses while stopped, and comes back empty on the same URL', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(redis.port).not.toBe(6379);
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');

    await redis.stop();
    expect(redis.running()).toBe(false);
    await pollUntil(() => (client.status !== 'ready' ? true : undefined), { what: 'the client to see the server gone' });
    await expect(client.ping()).rejects.toThrow();

    await redis.start();
    await pollUntil(() => (client.status === 'ready' ? true : undefined), { what: 'the client to reconnect' });
    expect(await client.ping()).toBe('PONG');
    expect(await client.get('k')).toBeNull(); // nothing persisted: a real restart
  });

  it('stop(SIGKILL) ends it at once, like a crash', async () => {
    await redis.stop('SIGKILL');
    expect(redis.running()).toBe(false);
    await redis.start();
    expect(redis.running()).toBe(true);
  });
});
