import { webhookCallback, type Bot, type Context } from 'grammy';
import { Hono } from 'hono';

/**
 * Telegram webhook mode (§16): a Hono sub-app for `app.route(path, …)`.
 * grammY checks the X-Telegram-Bot-Api-Secret-Token header against
 * `secretToken` and answers 401 on a missing or wrong one, before any
 * update reaches the bot.
 */
export function createTelegramWebhookRoute<C extends Context>(bot: Bot<C>, secretToken: string): Hono {
  const app = new Hono();
  app.post('/', webhookCallback(bot, 'hono', {
    secretToken,
    // Past Telegram's patience, answer 200 and keep working: a timeout
    // answer would make Telegram deliver the same update again.
    onTimeout: 'return',
    timeoutMilliseconds: 9_000,
  }));
  return app;
}
