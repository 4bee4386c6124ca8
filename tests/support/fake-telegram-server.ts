import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Update } from 'grammy/types';
import { PayloadError, readBotApiPayload } from './bot-api-payload.js';
import { FakeTelegram, TEST_BOT_INFO, type ChatMessage, type FakeFailure } from './fake-telegram.js';
import { FloodLimit, type FloodLimits } from './telegram-flood-limit.js';
import type { TelegramFailure } from './telegram-refusals.js';
import { UpdateQueue } from './telegram-update-queue.js';

/**
 * The Bot API over loopback HTTP (`POST /bot<token>/<method>`), for tests
 * that run the real app as a separate process with
 * TELEGRAM_API_ROOT=<apiRoot>. Chats, answers and Telegram's refusals come
 * from FakeTelegram (one behaviour for in-process and out-of-process tests);
 * this adds what only a network has: flood limits,
 * latency, going offline or answering 502, long-polling getUpdates, and a
 * record of every call with its outcome — including the ones still in flight,
 * which a kill -9 test needs to tell which messages were in doubt (set
 * latencyMs to hold calls in flight long enough to kill the app among them).
 * A call whose client hangs up is still carried out, as Telegram would.
 */

export type ServerMode = 'online' | 'offline' | 'server_errors';

export interface ServerCall {
  method: string;
  payload: Record<string, any>;
  /** Date.now() when the request was read. */
  at: number;
  /**
   * in_flight: read, not answered yet · ok / error: answered with ok true / false ·
   * dropped: the connection was destroyed instead (offline(), a 'network' failure); not processed.
   */
  outcome: 'in_flight' | 'ok' | 'error' | 'dropped';
  status?: number;
  description?: string;
  answeredAt?: number;
  /** The client hung up before the answer was written (killed, timed out): it never learned the outcome. */
  clientGone: boolean;
}

export interface FakeTelegramServerOptions {
  /** Delay before every answer, in ms (changeable with setLatency). */
  latencyMs?: number;
  /** Enforce Telegram's flood limits on sends (429 with retry_after); off when absent. */
  floodLimits?: FloodLimits;
  /** getUpdates waits at most this long for updates, whatever `timeout` asks; default 1. */
  maxLongPollSeconds?: number;
  /** Refuse calls with another token (401 Unauthorized); any token when absent. */
  token?: string;
  /** Let a bare "&" through in HTML, as Telegram does; default false (see telegram-html.ts). */
  allowBareAmpersand?: boolean;
}

type Answer = { status: number; body: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: unknown } };

const fromFailure = (f: TelegramFailure): Answer =>
  ({ status: f.error_code, body: { ok: false, ...f } });

export class FakeTelegramServer {
  /**
   * The chats as users see them and Telegram's refusals (FakeTelegram's
   * state and rules, the same as in-process tests get); read with chat(),
   * message(), lastMessage(), refusals.
   */
  readonly telegram: FakeTelegram;
  readonly calls: ServerCall[] = [];
  private readonly events = new EventEmitter().setMaxListeners(0);
  private readonly planned: { method: string | null; failure: FakeFailure }[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly updates = new UpdateQueue();
  private readonly flood: FloodLimit | null;
  private mode: ServerMode = 'online';
  private latencyMs: number;

  private constructor(private readonly server: http.Server, readonly port: number, private readonly options: FakeTelegramServerOptions) {
    this.telegram = new FakeTelegram({ allowBareAmpersand: options.allowBareAmpersand ?? false });
    this.latencyMs = options.latencyMs ?? 0;
    this.flood = options.floodLimits ? new FloodLimit(options.floodLimits) : null;
  }

  static async start(options: FakeTelegramServerOptions = {}): Promise<FakeTelegramServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeTelegramServer(server, (server.address() as AddressInfo).port, options);
    server.on('connection', (socket) => fake.accept(socket));
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        fake.write(res, { status: 500, body: { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` } });
      });
    });
    return fake;
  }

  /** TELEGRAM_API_ROOT for the app, e.g. http://127.0.0.1:40123 */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Connections are reset (a network error for the client), including the open ones; in-flight calls are dropped. */
  offline(): void {
    this.mode = 'offline';
    for (const call of this.calls) if (call.outcome === 'in_flight') call.outcome = 'dropped';
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.changed();
  }

  /** Every call is answered 502 Bad Gateway (JSON, as the Bot API does). */
  serverErrors(): void {
    this.mode = 'server_errors';
  }

  online(): void {
    this.mode = 'online';
  }

  currentMode(): ServerMode {
    return this.mode;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** The next `times` calls of `method` (any method when null) fail with `failure`, as in FakeTelegram. */
  failNext(method: string | null, failure: FakeFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.planned.push({ method, failure });
  }

  /** An update for getUpdates (update_id assigned when 0 or absent); wakes a waiting long poll. */
  queueUpdate(update: Omit<Update, 'update_id'> & { update_id?: number }): Update {
    return this.updates.push(update);
  }

  callsTo(method: string): Record<string, any>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.payload);
  }

  /** Texts Telegram accepted (sendMessage answered ok) for a chat, oldest first. */
  sentTexts(chatId: number): string[] {
    return this.delivered(chatId).map((c) => String(c.payload.text));
  }

  /** sendMessage calls Telegram accepted (answered ok), whether or not the client read the answer. */
  deliveredCount(chatId?: number): number {
    return this.delivered(chatId).length;
  }

  /** Calls read and not answered yet. */
  inFlight(): ServerCall[] {
    return this.calls.filter((c) => c.outcome === 'in_flight');
  }

  /** 429s given by the flood limits (not by failNext). */
  tooManyRequestsCount(): number {
    return this.flood?.refused ?? 0;
  }

  chat(chatId: number): ChatMessage[] {
    return this.telegram.chat(chatId);
  }

  lastMessage(chatId: number): ChatMessage {
    return this.telegram.lastMessage(chatId);
  }

  message(chatId: number, messageId: number): ChatMessage {
    return this.telegram.message(chatId, messageId);
  }

  /** Resolves once `predicate` holds, checked whenever a call arrives or is answered; rejects after timeoutMs. */
  waitFor(predicate: (calls: readonly ServerCall[], server: this) => boolean, timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.calls, this)) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.calls.slice(-5).map((c) => `${c.method}:${c.outcome}`).join(', ');
        reject(new Error(`fake Telegram: condition not met within ${timeoutMs} ms (last calls: ${recent || 'none'})`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('change', check);
      };
      this.events.on('change', check);
      check();
    });
  }

  async close(): Promise<void> {
    this.updates.wakeAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private delivered(chatId?: number): ServerCall[] {
    return this.calls.filter((c) => c.method === 'sendMessage' && c.outcome === 'ok'
      && (chatId === undefined || Number(c.payload.chat_id) === chatId));
  }

  private changed(): void {
    this.events.emit('change');
  }

  private accept(socket: Socket): void {
    if (this.mode === 'offline') {
      socket.resetAndDestroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!route) return void this.write(res, { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    const [, token, method] = route as unknown as [string, string, string];
    let payload: Record<string, any>;
    try {
      payload = await readBotApiPayload(req, url);
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      return void this.write(res, fromFailure({ error_code: 400, description: `Bad Request: ${err.message}` }));
    }
    const call: ServerCall = { method, payload, at: Date.now(), outcome: 'in_flight', clientGone: false };
    this.calls.push(call);
    res.once('close', () => {
      if (res.writableFinished || call.outcome === 'dropped') return;
      call.clientGone = true;
      this.changed();
    });
    this.changed();

    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (call.outcome !== 'in_flight') return; // dropped by offline() meanwhile
    const answer = await this.answer(method, token, payload, req);
    if (answer === 'network' || call.outcome !== 'in_flight') {
      call.outcome = 'dropped';
      req.socket.resetAndDestroy();
    } else {
      this.write(res, answer);
      Object.assign(call, {
        outcome: answer.body.ok ? 'ok' : 'error', status: answer.status, answeredAt: Date.now(),
        ...(answer.body.description ? { description: answer.body.description } : {}),
      });
    }
    this.changed();
  }

  private async answer(method: string, token: string, payload: Record<string, any>, req: http.IncomingMessage): Promise<Answer | 'network'> {
    if (this.mode === 'server_errors') return { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
    const i = this.planned.findIndex((f) => f.method === null || f.method === method);
    if (i >= 0) {
      const { failure } = this.planned.splice(i, 1)[0]!;
      return failure === 'network' ? 'network' : fromFailure(failure);
    }
    if (this.options.token && token !== this.options.token) {
      return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    }
    if (method === 'getMe') return { status: 200, body: { ok: true, result: TEST_BOT_INFO } };
    if (method === 'getUpdates') {
      const waitMs = Math.min(Number(payload.timeout ?? 0), this.options.maxLongPollSeconds ?? 1) * 1000;
      const limit = Math.min(Math.max(Number(payload.limit ?? 100), 1), 100);
      const result = await this.updates.poll({ offset: Number(payload.offset ?? 0), limit, waitMs }, req.socket);
      return { status: 200, body: { ok: true, result } };
    }
    if (method === 'getWebhookInfo') {
      return { status: 200, body: { ok: true, result: { url: '', has_custom_certificate: false, pending_update_count: this.updates.size } } };
    }
    if (this.flood && method.startsWith('send') && method !== 'sendChatAction') {
      const limited = this.flood.take(String(payload.chat_id));
      if (limited) return fromFailure(limited);
    }
    // FakeTelegram applies Telegram's rules and answers by itself; it never calls the next one (nor fails: failNext is ours).
    const next = () => Promise.reject(new Error('FakeTelegram called the network'));
    const body = (await this.telegram.transformer(next as never, method as never, payload as never)) as Answer['body'];
    if (!body.ok) return { status: body.error_code ?? 400, body };
    return { status: 200, body };
  }

  private write(res: http.ServerResponse, answer: Answer): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }
}
