import { pathToFileURL } from 'node:url';
import { run as runPolling, type RunnerHandle } from '@grammyjs/runner';
import type { Hono } from 'hono';
import type { Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import pkg from './package.json' with { type: 'json' };
import { BOT_COMMANDS, createBot } from './bot/index.js';
import { createNotificationDelivery } from './bot/notifications/delivery.js';
import { type Config, ConfigError, createConfig, loadEnvFile } from './config.js';
import { createDb } from './core/create-db.js';
import { createControlFile } from './core/embedded-control.js';
import { migrateToLatest } from './core/migrate.js';
import { createStore } from './core/store/create-store.js';
import { createServer, localUrlFor, startHttpServer } from './http/app.js';
import { CONTROL_PATH, createControlRoutes } from './http/routes/control.js';
import { createFormWebhookRoutes } from './http/routes/form-webhooks.js';
import { createTelegramWebhookRoute } from './http/routes/telegram.js';
import { createJobs } from './jobs/index.js';
import { createLogger, type Logger } from './logger.js';
import { createMetrics } from './metrics.js';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';

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
  bot: ReturnType<typeof createBot> | null;
  jobs: ReturnType<typeof createJobs>;
  db: Awaited<ReturnType<typeof createDb>>['db'];
  /** Delivers due Telegram messages now (tests; the poller does it otherwise). */
  deliverNow(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The composition root: config → logger → database and store → bot, HTTP
 * server and jobs. Everything is created here and handed down explicitly.
 */
export async function startApp(options: StartOptions): Promise<RunningApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const database = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const applied = await migrateToLatest(database.db);
  logger.info({ database: database.kind, applied: applied.length }, 'database_ready');
  const store = createStore({ redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  logger.info({ store: store.kind }, 'store_ready');
  const metrics = createMetrics({ db: database.db });
  const { db } = database;

  let bot: ReturnType<typeof createBot> | null = null;
  let delivery: ReturnType<typeof createNotificationDelivery> | null = null;
  const wakeDelivery = () => delivery?.wake();
  const routes: { path: string; app: Hono<any, any, any> }[] = [
    {
      path: '/webhooks/forms',
      app: createFormWebhookRoutes({ db, logger, defaultCountry: config.DEFAULT_COUNTRY, onAccepted: wakeDelivery }),
    },
  ];
  if (config.BOT_TOKEN) {
    bot = createBot({
      config, db, store, logger,
      ...(options.botInfo ? { botInfo: options.botInfo } : {}),
      ...(options.apiTransformers ? { apiTransformers: options.apiTransformers } : {}),
      onUpdate: (type, seconds, ok) => {
        const labels = { type, result: ok ? 'ok' : 'error' };
        metrics.botUpdates.inc(labels);
        metrics.botUpdateDuration.observe(labels, seconds);
      },
    });
    delivery = createNotificationDelivery({ db, api: bot.api, logger, pollMs: config.OUTBOX_POLL_MS, metrics });
    if (config.BOT_MODE === 'webhook') {
      routes.push({ path: TELEGRAM_WEBHOOK_PATH, app: createTelegramWebhookRoute(bot, config.TELEGRAM_WEBHOOK_SECRET!) });
    }
  } else {
    logger.warn('bot_disabled: BOT_TOKEN is not set, so the Telegram bot is off; HTTP and jobs run, and messages wait in the outbox');
  }

  // [control] While this app holds the embedded database, `npm run sources`
  // must not open it too; it asks this app through /control instead, found
  // via DATA_DIR/control.json (published once listening, removed on close).
  const control = database.kind === 'pglite' ? createControlFile({ dataDir: config.DATA_DIR }) : null;
  if (control) {
    routes.push({ path: CONTROL_PATH, app: createControlRoutes({ db, publicUrl: config.PUBLIC_URL, token: control.token, pid: process.pid }) });
  }

  const jobs = createJobs({ config, db, store, logger, metrics, onAlertsQueued: wakeDelivery });
  const app = createServer({
    config, db, store, logger, metrics, version: pkg.version, startedAt: new Date(), routes,
    schedulerStatus: () => jobs.status(),
  });
  const server = await startHttpServer(app, { host: config.HOST, port: config.PORT });
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${server.port}`;
  control?.publish(localUrlFor(config.HOST, server.port)); // [control]
  logger.info({ url, bot_mode: bot ? config.BOT_MODE : 'off' }, 'http_listening');

  let runner: RunnerHandle | null = null;
  if (bot) {
    await bot.init();
    if (config.BOT_MODE === 'webhook') {
      await bot.api.setWebhook(new URL(TELEGRAM_WEBHOOK_PATH, config.PUBLIC_URL).toString(), {
        secret_token: config.TELEGRAM_WEBHOOK_SECRET!,
        allowed_updates: ['message', 'callback_query'],
      });
    } else {
      await bot.api.deleteWebhook();
      runner = runPolling(bot, { runner: { fetch: { allowed_updates: ['message', 'callback_query'] } } });
    }
    // The command menu is a convenience: a failure here must not stop the bot.
    await bot.api.setMyCommands(BOT_COMMANDS).catch((err: unknown) => logger.warn({ err }, 'bot_commands_not_set'));
    delivery!.start();
    logger.info({ username: bot.botInfo.username, mode: config.BOT_MODE }, 'bot_started');
  }
  jobs.start();

  return {
    url, bot, jobs, db,
    deliverNow: async () => { await delivery?.runOnce(); },
    async close() {
      control?.unpublish(); // [control] first: no CLI should reach a server that is closing
      if (runner?.isRunning()) await runner.stop();
      await delivery?.stop();
      await jobs.stop();
      await server.close();
      await store.close();
      await database.close();
      logger.info('stopped');
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadEnvFile(); // [env] .env in the working directory, if any; the environment wins
    config = createConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config);
  const app = await startApp({ config, logger }).catch((err: unknown) => {
    logger.fatal({ err }, 'start_failed');
    process.exit(1);
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping');
    app.close().then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'stop_failed');
      process.exit(1);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
