import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with one request: answer with a status (and headers, body), or never answer. */
export type ReceiverReply = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The payload if its Standard Webhooks signature verified with the secret, else the error. */
  verified: { ok: true; payload: any } | { ok: false; error: string };
}

/**
 * A webhook receiver on loopback (§13 tests): answers each request with the
 * next scripted reply (the last one repeats; default 200) and verifies every
 * signature with the `standardwebhooks` package, as a real receiver would.
 */
export async function startWebhookReceiver(script: ReceiverReply[] = [{ status: 200 }]) {
  const received: ReceivedWebhook[] = [];
  let secret: string | null = null;
  const replies = [...script];
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({
        headers, body,
        // Verified when read: the secret is known only once subscribing (and its ping) returned.
        get verified(): ReceivedWebhook['verified'] {
          try {
            return { ok: true, payload: new Webhook(secret ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(body, headers) };
          } catch (err) {
            return { ok: false, error: (err as Error).message };
          }
        },
      });
      for (const w of waiters.splice(0)) w();
      const reply = replies.length > 1 ? replies.shift()! : replies[0]!;
      if (reply === 'hang') return;
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? `answer ${reply.status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** The subscription's secret, to verify with. */
    useSecret(s: string) { secret = s; },
    /** Replaces what the next requests get. */
    script(next: ReceiverReply[]) { replies.splice(0, replies.length, ...next); },
    /** Resolves once `n` requests in all have arrived. */
    async waitFor(n: number) {
      while (received.length < n) await new Promise<void>((r) => waiters.push(r));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
