import { getCountries, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

// Empty strings (e.g. `FOO=` in a .env file or compose) mean "not set".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.prefault(fallback as never));

const idList = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
    const ids = parts.map(Number);
    if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
      ctx.addIssue({ code: 'custom', message: 'must be comma-separated Telegram user ids' });
      return z.NEVER;
    }
    return ids;
  });

// §2: phones typed without a country code are read as this country's. Checked
// against the phone library's own list, so a code it cannot parse with fails on boot.
const PHONE_COUNTRIES: ReadonlySet<string> = new Set(getCountries());
const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => PHONE_COUNTRIES.has(c), 'must be an ISO 3166-1 alpha-2 country code, e.g. UA')
  .transform((c) => c as CountryCode);

const cronExpression = z
  .string()
  .regex(/^(\S+\s+){4,5}\S+$/, 'must be a cron expression with 5 or 6 fields');

export const configSchema = z
  .object({
    NODE_ENV: withDefault(z.enum(['development', 'production', 'test']), 'development'),
    LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
    HOST: withDefault(z.string(), '0.0.0.0'),
    PORT: withDefault(z.coerce.number().int().min(0).max(65535), 3000),
    PUBLIC_URL: withDefault(z.url(), 'http://localhost:3000'),
    DATABASE_URL: optional(z.url()),
    DATA_DIR: withDefault(z.string(), './data'),
    REDIS_URL: optional(z.url()),
    REDIS_KEY_PREFIX: withDefault(z.string().max(64), 'crm:'),
    BOT_TOKEN: optional(z.string().regex(/^\d+:[\w-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)')),
    BOT_MODE: withDefault(z.enum(['polling', 'webhook']), 'polling'),
    TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[\w-]{1,256}$/, 'must be 1-256 of A-Z a-z 0-9 _ -')),
    TELEGRAM_API_ROOT: withDefault(z.url(), 'https://api.telegram.org'),
    ADMIN_TELEGRAM_IDS: withDefault(idList, ''),
    DEFAULT_LANGUAGE: withDefault(z.enum(['en', 'uk']), 'en'),
    DEFAULT_COUNTRY: optional(countryCode),
    DEFAULT_CAPACITY: withDefault(z.coerce.number().int().min(1).max(10_000), 20),
    JOBS_ENABLED: withDefault(z.stringbool(), 'true'),
    STALE_CRON: withDefault(cronExpression, '0 */6 * * *'),
    STALE_AFTER_DAYS: withDefault(z.coerce.number().positive().max(365), 7),
    STALE_MAX_ALERTS_PER_RUN: withDefault(z.coerce.number().int().min(1).max(1000), 10),
    // §16 per-user limits (uses per window).
    RATE_LIMIT_LEAD_CREATIONS_PER_HOUR: withDefault(z.coerce.number().int().min(1).max(100_000), 10),
    RATE_LIMIT_AI_ANALYSES_PER_DAY: withDefault(z.coerce.number().int().min(1).max(100_000), 20),
    RATE_LIMIT_STAGE_CHANGES_PER_HOUR: withDefault(z.coerce.number().int().min(1).max(100_000), 100),
    RATE_LIMIT_FILE_UPLOADS_PER_HOUR: withDefault(z.coerce.number().int().min(1).max(100_000), 5),
    OUTBOX_POLL_MS: withDefault(z.coerce.number().int().min(100).max(600_000), 5000),
    OUTBOX_MAX_AGE_HOURS: withDefault(z.coerce.number().positive().max(24 * 30), 24),
    OPENAI_API_KEY: optional(z.string().min(1)),
    OPENAI_BASE_URL: optional(z.url()),
    OPENAI_MODEL: withDefault(z.string().min(1), 'gpt-4o-mini'),
  })
  .superRefine((c, ctx) => {
    if (c.BOT_MODE === 'webhook' && c.BOT_TOKEN && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when BOT_MODE=webhook',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once. Throws ConfigError whose message names every
 * bad variable, e.g. "Invalid configuration:\n✖ must be … → at PORT".
 */
export function createConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
