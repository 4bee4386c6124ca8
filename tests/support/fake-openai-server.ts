import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local OpenAI-compatible model on loopback, speaking the Chat
 * Completions wire format (POST /v1/chat/completions), for the AI tests
 * and the bench: the SDK talks to it over real HTTP, exactly as to the real
 * API. Each request gets the next scripted answer, or the default one:
 * - ok: a structured-output answer (message.content is the JSON) with usage tokens;
 * - rate_limited: 429 with Retry-After (seconds) and an OpenAI error body;
 * - server_error: 500 with an OpenAI error body;
 * - hang: never answers (the caller's timeout must end it);
 * - refusal: message.refusal set, content null;
 * - invalid: JSON the schema rejects (score 1.7, an unknown recommendation, a short reason).
 */
export type FakeAnswer =
  | { kind: 'ok'; score?: number; recommendation?: string; reason?: string; promptTokens?: number; completionTokens?: number }
  | { kind: 'rate_limited'; retryAfterSeconds?: number }
  | { kind: 'server_error'; status?: number }
  | { kind: 'hang' }
  | { kind: 'refusal' }
  | { kind: 'invalid' };

export interface RecordedRequest { body: any; authorization: string | undefined; path: string }

export interface FakeOpenAiServer {
  /** e.g. http://127.0.0.1:PORT/v1 — OPENAI_BASE_URL. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Answers for the next requests, in order. */
  script(...answers: FakeAnswer[]): void;
  /** The answer once the script is used up (default: ok). */
  setDefault(answer: FakeAnswer): void;
  /** Every answer waits this long first, ms (the bench's 200 ms model). */
  setDelayMs(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

const error = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });

export async function startFakeOpenAi(options: { delayMs?: number } = {}): Promise<FakeOpenAiServer> {
  let queue: FakeAnswer[] = [];
  let fallback: FakeAnswer = { kind: 'ok' };
  let delayMs = options.delayMs ?? 0;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(error('Not found', 'invalid_request_error', null)));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    requests.push({ body, authorization: req.headers.authorization, path: req.url });
    const answer = queue.shift() ?? fallback;
    if (answer.kind === 'hang') return; // the socket stays open until the client gives up or close()
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
    if (answer.kind === 'rate_limited') {
      json(429, error('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
        { 'retry-after': String(answer.retryAfterSeconds ?? 20) });
      return;
    }
    if (answer.kind === 'server_error') {
      json(answer.status ?? 500, error('The server had an error while processing your request.', 'server_error', null));
      return;
    }
    const message = answer.kind === 'refusal'
      ? { role: 'assistant', content: null, refusal: 'I’m sorry, I can’t help with that.' }
      : {
        role: 'assistant', refusal: null,
        content: JSON.stringify(answer.kind === 'invalid'
          ? { score: 1.7, recommendation: 'call_them_maybe', reason: 'short' }
          : {
            score: answer.score ?? 0.72,
            recommendation: answer.recommendation ?? 'transfer_to_sales',
            reason: answer.reason ?? 'Referral with a clear business domain and steady conversation.',
          }),
      };
    const promptTokens = answer.kind === 'ok' ? answer.promptTokens ?? 180 : 180;
    const completionTokens = answer.kind === 'ok' ? answer.completionTokens ?? 40 : 12;
    json(200, {
      id: `chatcmpl-fake-${++seq}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000),
      model: body.model, system_fingerprint: 'fp_fake',
      choices: [{ index: 0, message, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => { if (!res.headersSent) res.writeHead(500).end(); });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...answers) => { queue.push(...answers); },
    setDefault: (answer) => { fallback = answer; },
    setDelayMs: (ms) => { delayMs = ms; },
    reset: () => { queue = []; fallback = { kind: 'ok' }; delayMs = 0; requests.length = 0; },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
