import { Redis, ReplyError } from 'ioredis';
import { StoreUnavailableError, type KeyValueStore } from './kv-store.js';

// INCRBY and the window's expiry in one step, so a crash between them can't
// leave a counter that never resets. PTTL -1 (no expiry) means this call
// created the key, so the window starts now; later calls leave it alone.
// A refund never takes the count below 0 and never creates a counter.
const INCREMENT = `
local by = tonumber(ARGV[2])
if by <= 0 and redis.call('EXISTS', KEYS[1]) == 0 then return {0, -2} end
local c = redis.call('INCRBY', KEYS[1], by)
if c < 0 then redis.call('INCRBY', KEYS[1], -c); c = 0 end
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {c, redis.call('PTTL', KEYS[1])}`;

/** ms a command may take: ample for Redis nearby, short enough that a bot update never stalls on a dead one. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 500;
// Reconnect attempts back off to this (ms), so a Redis that is back is found within ~2 s.
const MAX_RECONNECT_DELAY_MS = 2_000;
// Redis answered but serves nothing right now (loading its data after a
// restart, a script holding it, its primary lost): as good as down.
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|MASTERDOWN)\b/;

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key (tests use one per run). */
  keyPrefix?: string;
  /** Milliseconds before a command fails with StoreUnavailableError; default 500. */
  commandTimeoutMs?: number;
  /** Every connection error ioredis reports, one per reconnect attempt while Redis is down; default: ignored. */
  onError?: (err: Error) => void;
}

export type RedisStore = KeyValueStore & { readonly kind: 'redis'; readonly client: Redis };

/**
 * Shared store on Redis that fails fast: with Redis unreachable every call
 * rejects at once (no offline queue) or within commandTimeoutMs with
 * StoreUnavailableError, while the client keeps reconnecting in the
 * background; Redis error replies (a bug) are thrown as they are. Connection
 * errors never surface as unhandled 'error' events. Calls made before the
 * first connection is up wait for it, at most commandTimeoutMs, so a store
 * used right after boot does not fail. `client` is exposed for tests.
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? '',
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    // A command that timed out was already answered from elsewhere; replaying it later would apply it twice.
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 1,
    connectTimeout: Math.max(timeoutMs, MAX_RECONNECT_DELAY_MS),
    // A Redis that hangs (connected, never answering) would cost every call a
    // full timeout; dropping the socket makes later calls fail at once instead.
    socketTimeout: Math.max(2 * timeoutMs, 1_000),
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
  });
  client.on('error', options.onError ?? (() => {}));
  const firstConnection = untilFirstAttempt(client, timeoutMs);

  const run = async <T>(command: () => Promise<T>): Promise<T> => {
    await firstConnection();
    try {
      return await command();
    } catch (err) {
      if (err instanceof ReplyError && !UNAVAILABLE_REPLY.test((err as Error).message)) throw err;
      throw new StoreUnavailableError('redis', err);
    }
  };

  return {
    kind: 'redis',
    client,
    get: (key) => run(() => client.get(key)),
    set: (key, value, ttlMs) => run(async () => {
      if (ttlMs) await client.set(key, value, 'PX', ttlMs);
      else await client.set(key, value);
    }),
    setIfAbsent: (key, value, ttlMs) => run(async () => (await client.set(key, value, 'PX', ttlMs, 'NX')) === 'OK'),
    delete: (key) => run(async () => { await client.del(key); }),
    increment: (key, windowMs, by = 1) => run(async () => {
      const [count, ttl] = (await client.eval(INCREMENT, 1, key, windowMs, by)) as [number, number];
      return { count, resetInMs: ttl > 0 ? ttl : windowMs };
    }),
    ping: () => run(async () => { await client.ping(); }),
    async close() {
      // QUIT needs a live connection (there is no offline queue); otherwise just stop reconnecting.
      if (client.status === 'ready') {
        try {
          await client.quit();
          return;
        } catch { /* fall through to disconnect */ }
      }
      client.disconnect();
    },
  };
}

/**
 * A wait that ends once the client's first connection attempt has settled
 * (ready, or failed) or after timeoutMs, whichever is first; free once it
 * has settled.
 */
function untilFirstAttempt(client: Redis, timeoutMs: number): () => Promise<void> {
  let attempt: Promise<void> | null = new Promise<void>((resolve) => {
    const settled = () => {
      attempt = null;
      for (const event of ['ready', 'close', 'end']) client.off(event, settled);
      resolve();
    };
    for (const event of ['ready', 'close', 'end']) client.on(event, settled);
  });
  return async () => {
    if (!attempt) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([attempt, new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); })]);
    clearTimeout(timer);
  };
}
