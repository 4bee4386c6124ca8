import type http from 'node:http';
import { isIPv6, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { Config } from '../config.js';
import type { Core, KeyValueStore } from '../core/index.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { createErrorHandler } from './error-handler.js';
import { httpMetrics } from './middlewares/http-metrics.js';
import { requestLogger, type AppEnv } from './middlewares/request-logger.js';
import { healthRoute, type SchedulerStatus, type TelegramStatus } from './routes/health.js';
import { metricsRoute } from './routes/metrics.js';

export type { AppEnv };

export interface ServerDeps {
  config: Config;
  core: Core;
  store: KeyValueStore;
  logger: Logger;
  metrics: Metrics;
  version: string;
  startedAt: Date;
  /** Feature sub-apps (webhooks, telegram, API), mounted with app.route(path, app); they may declare their own Env. */
  routes?: { path: string; app: Hono<any, any, any> }[];
  schedulerStatus?: () => SchedulerStatus;
  /** The bot's connection and delivery (undefined: the bot is off). */
  telegramStatus?: (() => TelegramStatus) | undefined;
  /** Time limit per /health check in ms; default 2000. */
  healthTimeoutMs?: number;
}

/**
 * The HTTP edge: request id + child logger + metrics on every request,
 * /health and /metrics, the given sub-apps, and one error boundary
 * (app.onError) that maps domain error codes to statuses. No port is
 * opened here; tests call app.request().
 */
export function createServer(deps: ServerDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Order matters: the id exists before the logger is bound to it, and the
  // metrics middleware sees the final status set by onError.
  app.use(requestId());
  app.use(requestLogger(deps.logger));
  app.use(httpMetrics(deps.metrics));

  app.route('/', healthRoute({
    config: deps.config,
    pingDatabase: deps.core.operations.pingDatabase,
    store: deps.store,
    version: deps.version,
    startedAt: deps.startedAt,
    ...(deps.schedulerStatus ? { schedulerStatus: deps.schedulerStatus } : {}),
    ...(deps.telegramStatus ? { telegramStatus: deps.telegramStatus } : {}),
    ...(deps.healthTimeoutMs ? { timeoutMs: deps.healthTimeoutMs } : {}),
  }));
  app.route('/', metricsRoute(deps.metrics));
  for (const r of deps.routes ?? []) app.route(r.path, r.app);

  app.notFound((c) => c.json({ message: 'Not found' }, 404));
  app.onError(createErrorHandler(deps.logger));
  return app;
}

export interface HttpServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** Stops accepting connections and resolves once open ones are done. */
  close(): Promise<void>;
}

/** Listens with @hono/node-server; rejects when the port cannot be bound. */
export function startHttpServer(app: Hono<any, any, any>, options: { host: string; port: number }): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    // server.close() leaves a BUSY keep-alive connection open, and Node keeps
    // answering the requests that follow on it: under steady load (a form
    // builder, a proxy) close() never finished, and SIGTERM ran into
    // SHUTDOWN_TIMEOUT_MS with sends unrecorded (tests/faults/sigterm-under-load.test.ts).
    // So once closing, every response says Connection: close — those in progress
    // and any request that still arrives — and each connection ends after it.
    let closing = false;
    const inProgress = new Set<http.ServerResponse>();
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({
        port: info.port,
        close: () => new Promise<void>((done, fail) => {
          closing = true;
          for (const res of inProgress) if (!res.headersSent) res.setHeader('connection', 'close');
          server.close((err) => (err ? fail(err) : done()));
          // Keep-alive sockets would hold close() open until they time out.
          server.closeIdleConnections();
        }),
      });
    }) as http.Server;
    server.prependListener('request', (_req, res) => {
      if (closing) return void res.setHeader('connection', 'close');
      inProgress.add(res);
      res.once('close', () => inProgress.delete(res));
    });
    server.once('error', reject);
  });
}

/**
 * The URL a process on this machine uses to reach a server bound to host:port,
 * e.g. ('0.0.0.0', 3000) → http://127.0.0.1:3000, ('::', 3000) → http://[::1]:3000.
 * A wildcard host listens on loopback too; any other host is used as is.
 */
export function localUrlFor(host: string, port: number): string {
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${isIPv6(local) ? `[${local}]` : local}:${port}`;
}
