import pg from 'pg';

/**
 * PostgreSQL LISTEN on a connection of its own (a pooled client would be
 * handed back and lose its subscriptions). When the connection drops — a
 * restart, a failover — it reconnects with backoff (1 s doubling to 30 s)
 * and re-subscribes, then calls every listener once: NOTIFYs sent while it
 * was away are gone, so listeners treat that call as "look again".
 */
export function createPgListener(config: pg.ClientConfig, onError: (err: Error) => void) {
  const listeners = new Map<string, Set<() => void>>();
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  let retryMs = 1_000;
  let timer: NodeJS.Timeout | null = null;

  const notifyAll = () => { for (const set of listeners.values()) for (const fn of set) fn(); };

  async function connect(): Promise<void> {
    const next = new pg.Client(config);
    next.on('error', (err) => {
      onError(err);
      drop(next);
    });
    next.on('end', () => drop(next));
    next.on('notification', (msg) => { for (const fn of listeners.get(msg.channel) ?? []) fn(); });
    await next.connect();
    for (const channel of listeners.keys()) await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    client = next;
    retryMs = 1_000;
  }

  function drop(gone: pg.Client): void {
    if (client !== gone) return;
    client = null;
    gone.end().catch(() => undefined);
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      ensureConnected().then(notifyAll, (err: Error) => {
        onError(err);
        retryMs = Math.min(retryMs * 2, 30_000);
        scheduleReconnect();
      });
    }, retryMs);
    timer.unref();
  }

  function ensureConnected(): Promise<void> {
    if (client) return Promise.resolve();
    connecting ??= connect().finally(() => { connecting = null; });
    return connecting;
  }

  return {
    async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
      const set = listeners.get(channel) ?? new Set();
      const fresh = !listeners.has(channel);
      listeners.set(channel, set);
      set.add(onNotify);
      try {
        await ensureConnected();
        if (fresh) await client?.query(`listen ${pg.escapeIdentifier(channel)}`);
      } catch (err) {
        // The database is down at start: keep trying in the background; the poll covers meanwhile.
        onError(err as Error);
        scheduleReconnect();
      }
      return async () => {
        set.delete(onNotify);
      };
    },
    async close(): Promise<void> {
      closed = true;
      if (timer) clearTimeout(timer);
      await connecting?.catch(() => undefined);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
