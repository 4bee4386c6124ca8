import net from 'node:net';

/**
 * A loopback TCP proxy in front of a real server (PostgreSQL, Redis), so a
 * fault test can break the network between the app and it without touching
 * the server other tests share:
 *   - cut() then restore(): the server "restarts" — every open connection is
 *     reset and new ones are reset on arrival until restore().
 *   - freeze() then thaw(): the server "hangs" — connections stay open but no
 *     byte moves either way; bytes are held and delivered in order on thaw().
 * The proxy keeps listening while cut (it resets instead of refusing), so the
 * port can never be taken by someone else: clients reconnect to the same URL.
 */

export interface TcpProxyOptions {
  targetHost: string;
  targetPort: number;
  /** Where the proxy listens; default 127.0.0.1 on a free port. */
  listenHost?: string;
}

export type TcpProxyState = 'open' | 'cut' | 'frozen';

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  state(): TcpProxyState;
  /** `url` (postgres://…, redis://…) with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  /** Resets every open connection and every new one until restore(). */
  cut(): void;
  /** Accepts and forwards again, on the same port. */
  restore(): Promise<void>;
  /** Stops forwarding in both directions; connections (old and new) stay open and hang. */
  freeze(): void;
  /** Delivers the held bytes in order and forwards again. */
  thaw(): void;
  /** Client connections open now. */
  connections(): number;
  /** Bytes received while frozen and not yet delivered, both directions. */
  heldBytes(): number;
  close(): Promise<void>;
}

/** One client connection and its upstream twin; bytes held while frozen, per direction. */
interface Link {
  client: net.Socket;
  upstream: net.Socket;
  held: { toUpstream: Buffer[]; toClient: Buffer[] };
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const host = options.listenHost ?? '127.0.0.1';
  const links = new Set<Link>();
  let state: TcpProxyState = 'open';

  const forward = (from: net.Socket, to: net.Socket, held: Buffer[]) => {
    from.on('data', (chunk) => {
      if (state === 'frozen') held.push(chunk);
      else to.write(chunk);
    });
  };

  const flush = (link: Link) => {
    for (const chunk of link.held.toUpstream.splice(0)) link.upstream.write(chunk);
    for (const chunk of link.held.toClient.splice(0)) link.client.write(chunk);
  };

  const server = net.createServer((client) => {
    if (state === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: options.targetHost, port: options.targetPort });
    const link: Link = { client, upstream, held: { toUpstream: [], toClient: [] } };
    links.add(link);
    forward(client, upstream, link.held.toUpstream);
    forward(upstream, client, link.held.toClient);
    // Either side ending or failing ends the pair, as a broken network would.
    const drop = () => {
      links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('close', drop).on('error', drop);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    host,
    port,
    state: () => state,
    urlFor(url) {
      const u = new URL(url);
      u.hostname = host;
      u.port = String(port);
      return u.toString();
    },
    cut() {
      state = 'cut';
      for (const link of links) {
        link.client.resetAndDestroy();
        link.upstream.destroy();
      }
      links.clear();
    },
    // Nothing to wait for (the listener stayed up while cut); async so callers need not change if it ever must.
    async restore() {
      if (state === 'cut') state = 'open';
    },
    freeze() {
      state = 'frozen';
    },
    thaw() {
      if (state !== 'frozen') return;
      state = 'open';
      for (const link of links) flush(link);
    },
    connections: () => links.size,
    heldBytes: () => [...links].reduce((sum, l) =>
      sum + [...l.held.toUpstream, ...l.held.toClient].reduce((n, b) => n + b.length, 0), 0),
    async close() {
      for (const link of links) {
        link.client.destroy();
        link.upstream.destroy();
      }
      links.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
