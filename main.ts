import { pathToFileURL } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { Api, type Transformer } from 'grammy';
import type { Hono } from 'hono';
import type { UserFromGetMe } from 'grammy/types';
import pkg from './package.json' with { type: 'json' };
import { connectBot, TELEGRAM_WEBHOOK_PATH, type BotConnection } from './bot/connection.js';
import { createBot } from './bot/index.js';
import { createOutboxDelivery, type OutboxDelivery } from './bot/outbox/delivery.js';
import { type Config, ConfigError, createConfig, loadEnvFile } from './config.js';
import {
  createControlFile, createCore, createDb, createStore, migrateToLatest, type Core,
} from './core/index.js';
import { createServer, localUrlFor, startHttpServer } from './http/app.js';
import { CONTROL_PATH, createControlRoutes } from './http/routes/control.js';
import { createFormWebhookRoutes } from './http/routes/form-webhooks.js';
import { createTelegramWebhookRoute } from './http/routes/telegram.js';
import { createMiniAppRoutes, MINIAPP_PATH } from './http/routes/miniapp/miniapp.routes.js';
import { MINIAPP_BUILD_DIR } from './http/routes/miniapp/build-dir.js';
import { createApiRoutes } from './http/api/api-app.js';
import { createJobs } from './jobs/index.js';
import { createIntakeWorker } from './jobs/intake-worker.js';
import { createWebhookDeliveryRunner, type WebhookDeliveryRunner } from './jobs/webhook-delivery.runner.js';
import { createLogger, type Logger } from './logger.js';
import { aiObserver, createMetrics } from './metrics.js';
import { createAiWorker } from './jobs/ai-analysis.worker.js';

export { TELEGRAM_WEBHOOK_PATH };

/** How long after the shared store recovers stray text still gets "please start again" (a conversation's own time limit). */
const STORE_TROUBLE_MS = 30 * 60_000;

export interface StartOptions {
  config: Config;
  logger?: Logger;
  /** Skips getMe (tests, benchmarks). */
  botInfo?: UserFromGetMe;
  /** Bot API transformers at the network edge, beneath auto-retry: tests put their fake Telegram here. */
  apiTransformers?: Transformer[];
}

export interface RunningApp {
  /** Where the HTTP server listens, e.g. http://127.0.0.1:3000 */
  url: string;
  core: Core;
  bot: ReturnType<typeof createBot> | null;
  jobs: ReturnType<typeof createJobs>;
  db: Awaited<ReturnType<typeof createDb>>['db'];
  /** Outbound webhook delivery (runs by itself; runOnce for tests). */
  webhookDelivery: WebhookDeliveryRunner;
  /** Delivers due Telegram messages now (tests; delivery runs by itself otherwise). */
  deliverNow(): Promise<void>;
  /**
   * Graceful stop: no new requests, updates, job runs or claims; work in
   * progress finishes (sends are recorded, unsent claims handed back), then
   * the connections close.
   */
  close(): Promise<void>;
}

/**
 * The composition root: config → logger → database and store → core →
 * bot, HTTP server, jobs and outbox delivery. Everything is created here and
 * handed down explicitly. Nothing here waits for Telegram: the bot connects
 * in the background while intake, jobs and the outbox already run.
 */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const database = await createDb({
    databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    // A restart or failover: queries fail fast (503) meanwhile and the pool reconnects by itself.
    onConnectionError: (err) => logger.warn({ err }, 'database_connection_error'),
  });
  const applied = await migrateToLatest(database.db);
  logger.info({ database: database.kind, applied: applied.length }, 'database_ready');
  // Conversations kept in Redis during an outage are lost; for a while after one, stray text says so.
  let storeTroubleUntil = 0;
  const store = createStore({
    redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX,
    onStateChange: (state, cause) => {
      storeTroubleUntil = state === 'degraded' ? Infinity : Date.now() + STORE_TROUBLE_MS;
      if (state === 'degraded') logger.warn({ err: cause }, 'store_degraded');
      else logger.info('store_recovered');
    },
  });
  logger.info({ store: store.kind }, 'store_ready');
  const { db } = database;
  // Metrics first: core feeds some counters itself (crm_transfers_total, the AI series), whichever edge asked.
  const metrics = createMetrics({ leadCounts: () => core.operations.leadCounts() });
  const core = createCore({ db, store, config, logger, listen: database.listen, metrics, ai: { observe: aiObserver(metrics) } });

  const routes: { path: string; app: Hono<any, any, any> }[] = [
    { path: '/webhooks/forms', app: createFormWebhookRoutes({ core, logger }) },
    ...createApiRoutes({ core, logger, version: pkg.version }),
  ];
  if (!core.api.hasStableKey) logger.warn('api_jwt_secret_unset: API access tokens are signed with a per-process key; set API_JWT_SECRET to keep them valid across restarts and instances');
  const webhookDelivery = createWebhookDeliveryRunner({ core, logger, pollMs: config.WEBHOOK_POLL_MS });
  let bot: ReturnType<typeof createBot> | null = null;
  let delivery: OutboxDelivery | null = null;
  if (config.BOT_TOKEN) {
    bot = createBot({
      config, core, store, logger, storeTrouble: () => Date.now() < storeTroubleUntil,
      ...(options.botInfo ? { botInfo: options.botInfo } : {}),
      ...(options.apiTransformers ? { apiTransformers: options.apiTransformers } : {}),
      onUpdate: (type, seconds, ok) => {
        const labels = { type, result: ok ? 'ok' : 'error' };
        metrics.botUpdates.inc(labels);
        metrics.botUpdateDuration.observe(labels, seconds);
      },
    });
    delivery = createOutboxDelivery({
      core, api: deliveryApi(config, options.apiTransformers), logger, pollMs: config.OUTBOX_POLL_MS, metrics,
    });
    // The board needs the bot's token: Telegram signs the Mini App's init data with it.
    routes.push({
      path: '/',
      app: createMiniAppRoutes({
        core, botToken: config.BOT_TOKEN, initDataMaxAgeSeconds: config.MINIAPP_INIT_DATA_MAX_AGE_S, assetsDir: MINIAPP_BUILD_DIR,
      }),
    });
    if (config.BOT_MODE === 'webhook') {
      routes.push({ path: TELEGRAM_WEBHOOK_PATH, app: createTelegramWebhookRoute(bot, config.TELEGRAM_WEBHOOK_SECRET!) });
    }
  } else {
    logger.warn('bot_disabled: BOT_TOKEN is not set, so the Telegram bot is off; HTTP and jobs run, and messages wait in the outbox');
  }

  // While this app holds the embedded database, `npm run sources` must not
  // open it too; it asks this app through /control instead, found via
  // DATA_DIR/control.json (published once listening, removed on close).
  const control = database.kind === 'pglite' ? createControlFile({ dataDir: config.DATA_DIR }) : null;
  if (control) {
    routes.push({ path: CONTROL_PATH, app: createControlRoutes({ core, token: control.token, pid: process.pid }) });
  }

  const jobs = createJobs({ config, core, store, logger, metrics });
  const aiWorker = createAiWorker({
    core, logger, concurrency: config.AI_WORKER_CONCURRENCY, pollMs: config.AI_WORKER_POLL_MS, timeoutMs: config.AI_TIMEOUT_MS,
  });
  // Wherever webhooks are accepted, their journal is processed (§11): not a scheduled job, so JOBS_ENABLED does not stop it.
  const intakeWorker = createIntakeWorker({ core, logger });
  const unjournal = core.intake.onJournaled(() => intakeWorker.wake());
  let connection: BotConnection | null = null;
  const app = createServer({
    config, core, store, logger, metrics, version: pkg.version, startedAt: new Date(), routes,
    schedulerStatus: () => jobs.status(),
    telegramStatus: bot ? () => ({ connection: connection?.state() ?? 'connecting', delivery: delivery!.state() }) : undefined,
  });
  const server = await startHttpServer(app, { host: config.HOST, port: config.PORT });
  const url = localUrlFor(config.HOST, server.port);
  control?.publish(url);
  logger.info({ url, bot_mode: bot ? config.BOT_MODE : 'off' }, 'http_listening');

  const unlisten = delivery ? await core.outbox.onQueued(() => delivery!.wake()) : null;
  delivery?.start();
  intakeWorker.start();
  webhookDelivery.start();
  jobs.start();
  await aiWorker.start();
  if (bot) connection = connectBot({ bot, config, logger });

  return {
    url, core, bot, jobs, db, webhookDelivery,
    deliverNow: async () => { await delivery?.runOnce(); },
    async close() {
      control?.unpublish(); // first: no CLI should reach a server that is closing
      // Stop taking work: the runner stops fetching (and finishes the updates it has), the
      // scheduler stops ticking, the server stops accepting; in-flight work completes.
      await Promise.all([connection?.stop(), jobs.stop(), server.close(), webhookDelivery.stop(), aiWorker.stop()]);
      unjournal();
      await intakeWorker.stop();
      await unlisten?.();
      await delivery?.stop();
      await core.ai.flushAudit(); // the audit rows of analyses that just finished
      await store.close();
      await database.close();
      logger.info('stopped');
    },
  };
}

/**
 * How long one send may take before it counts as Telegram being away. A send
 * that times out is in doubt (Telegram may still deliver it) and is sent
 * again, so this must be well above what a slow but working Telegram takes:
 * at 15 s, a Telegram answering in 20 s had every card sent over and over,
 * never recorded (tests/faults/slow-telegram-two-instances.test.ts). The
 * claim's lease is renewed meanwhile, so no other instance takes the row.
 */
const DELIVERY_SEND_TIMEOUT_SECONDS = 60;

/**
 * Outbox delivery's own Bot API client: no auto-retry (delivery retries by
 * itself, per chat and with backoff), and a timeout on every call so a
 * Telegram that hangs cannot hold a send for ever (a shutdown is bounded by
 * SHUTDOWN_TIMEOUT_MS; what it cuts short stays claimed until its lease ends).
 */
function deliveryApi(config: Config, transformers: Transformer[] = []): Api {
  const api = new Api(config.BOT_TOKEN!, { apiRoot: config.TELEGRAM_API_ROOT, timeoutSeconds: DELIVERY_SEND_TIMEOUT_SECONDS });
  if (transformers.length) api.config.use(...transformers);
  return api;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadEnvFile(); // .env in the working directory, if any; the environment wins
    config = createConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  let app: RunningApp | null = null;
  // SIGTERM/SIGINT: a graceful stop within SHUTDOWN_TIMEOUT_MS, else exit 1; a second signal exits at once.
  // An unhandled rejection or exception is logged as fatal, then the same graceful stop.
  closeWithGrace({
    delay: config.SHUTDOWN_TIMEOUT_MS,
    logger: { error: (m: string) => logger.error(m) },
    onSecondSignal: (signal) => logger.warn({ signal }, 'stopping_now'),
    onTimeout: (delay) => logger.error({ timeout_ms: delay }, 'stop_timed_out'),
  }, async ({ signal, err }) => {
    if (err) logger.fatal({ err }, 'crashed');
    else logger.info({ signal }, 'stopping');
    await app?.close();
  });
  app = await startApp({ config, logger }).catch((err: unknown) => {
    logger.fatal({ err }, 'start_failed');
    process.exit(1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
