import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * Paths whose values never reach a log line: credentials, and the personal
 * data of leads (phone numbers and emails).
 */
export const REDACT_PATHS = [
  'token', 'secret', 'password', 'authorization', 'apiKey',
  '*.token', '*.secret', '*.password', '*.authorization', '*.apiKey',
  'config.BOT_TOKEN', 'config.OPENAI_API_KEY', 'config.TELEGRAM_WEBHOOK_SECRET',
  'config.DATABASE_URL', 'config.REDIS_URL',
  'phone', 'email', '*.phone', '*.email',
  'req.headers.authorization', 'req.headers["x-webhook-secret"]',
  'req.headers["x-telegram-bot-api-secret-token"]', 'req.headers["typeform-signature"]',
];

/**
 * The one root logger: JSON lines in production and tests, pretty lines in
 * development. Everything else takes `logger.child({...})`.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(config.NODE_ENV === 'development'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
