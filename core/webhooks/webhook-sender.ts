import { Webhook } from 'standardwebhooks';

/** What a receiver answered to one POST; status null: no answer (network error, timeout). */
export interface SendResult {
  status: number | null;
  retryAfter: string | null;
  latencyMs: number;
  error: string | null;
  /** The first RESPONSE_START_CHARS characters of the answer. */
  responseStart: string | null;
}

export const RESPONSE_START_CHARS = 256;

/**
 * POSTs one signed event (§13, Standard Webhooks): headers webhook-id (the
 * event id, the same on every retry), webhook-timestamp (this attempt, in
 * seconds, from the real clock receivers compare with) and
 * webhook-signature (v1, HMAC-SHA256 over id.timestamp.body with the
 * subscription's secret). Never throws: failures are results.
 */
export async function sendSignedEvent(p: {
  url: string; secret: string; eventId: string; body: string; timeoutMs: number; userAgent: string;
}): Promise<SendResult> {
  const timestamp = new Date();
  const signature = new Webhook(p.secret).sign(p.eventId, timestamp, p.body);
  const started = performance.now();
  try {
    const res = await fetch(p.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(p.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': p.userAgent,
        'webhook-id': p.eventId,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: p.body,
    });
    const responseStart = await readStart(res, p.timeoutMs);
    return {
      status: res.status, retryAfter: res.headers.get('retry-after'), latencyMs: Math.round(performance.now() - started),
      error: null, responseStart,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const error = e.name === 'TimeoutError' ? `timeout after ${p.timeoutMs} ms` : (e.cause?.code ?? e.message).slice(0, 200);
    return { status: null, retryAfter: null, latencyMs: Math.round(performance.now() - started), error, responseStart: null };
  }
}

/** The start of a body, without waiting for (or buffering) the rest of a big or endless one. */
async function readStart(res: Response, timeoutMs: number): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = setTimeout(() => { reader.cancel().catch(() => {}); }, timeoutMs);
  try {
    while (text.length < RESPONSE_START_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // The body stopped (cancelled at the deadline, or the connection dropped): keep what came.
  } finally {
    clearTimeout(deadline);
    reader.cancel().catch(() => {});
  }
  return text.slice(0, RESPONSE_START_CHARS);
}
