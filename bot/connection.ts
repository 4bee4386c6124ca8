import { run as runPolling, type RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { setGuestCommands } from './command-menu.js';
import type { BotContext } from './context.js';
import { errorFields } from './log-fields.js';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export type BotConnectionState = 'connecting' | 'connected' | 'stopped';

export interface BotConnection {
  /** For /health: 'connecting' until Telegram answered getMe and the webhook or polling is set up. */
  state(): BotConnectionState;
  /** The bot's @username once connected. */
  username(): string | null;
  /** Stops polling (webhook mode: nothing to stop) and any retry in progress. */
  stop(): Promise<void>;
}

/**
 * Connects the bot to Telegram in the background (§15: start-up never
 * depends on Telegram): getMe, then the webhook (setWebhook with the secret)
 * or long polling (deleteWebhook, then the runner), then the default command
 * menu (users' own menus are set lazily, bot/middlewares/command-menu.ts).
 * A failure is retried with backoff (1 s doubling to 60 s) until it works
 * or stop() is called; intake, jobs and the outbox run meanwhile.
 */
export function connectBot(deps: { bot: Bot<BotContext>; config: Config; logger: Logger }): BotConnection {
  const { bot, config } = deps;
  const log = deps.logger.child({ component: 'bot_connection' });
  let state: BotConnectionState = 'connecting';
  let runner: RunnerHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  let delayMs = 1_000;

  async function attempt(): Promise<void> {
    await bot.init();
    if (config.BOT_MODE === 'webhook') {
      await bot.api.setWebhook(new URL(TELEGRAM_WEBHOOK_PATH, config.PUBLIC_URL).toString(), {
        secret_token: config.TELEGRAM_WEBHOOK_SECRET!, allowed_updates: [...ALLOWED_UPDATES],
      });
    } else {
      await bot.api.deleteWebhook();
      if (state !== 'connecting') return;
      runner = runPolling(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
    }
    // The command menu is a convenience: a failure here must not stop the bot.
    await setGuestCommands(bot.api, config.DEFAULT_LANGUAGE)
      .catch((err: unknown) => log.warn(errorFields(err), 'bot_commands_not_set'));
  }

  function tryNow(): void {
    timer = null;
    attempt().then(() => {
      if (state !== 'connecting') return;
      state = 'connected';
      log.info({ username: bot.botInfo.username, mode: config.BOT_MODE }, 'bot_started');
    }, (err: unknown) => {
      if (state !== 'connecting') return;
      log.warn({ ...errorFields(err), retry_in_ms: delayMs }, 'bot_connect_failed');
      timer = setTimeout(tryNow, delayMs);
      delayMs = Math.min(delayMs * 2, 60_000);
    });
  }
  tryNow();

  return {
    state: () => state,
    username: () => (state === 'connected' ? bot.botInfo.username : null),
    async stop() {
      state = 'stopped';
      if (timer) clearTimeout(timer);
      if (runner?.isRunning()) await runner.stop();
    },
  };
}
