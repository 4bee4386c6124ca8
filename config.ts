import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { validateDetailed as validateCron } from 'node-cron';
import { z } from 'zod';
import { parseDaysOff, parseSchedule } from './core/conversations/working-hours.rules.js';
import { canonicalTimeZone } from './core/time-zone.js';
import { isCurrencyCode } from './core/deals/amount.rules.js';

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

const timeZone = z.string().transform((name, ctx) => {
  const zone = canonicalTimeZone(name);
  if (zone) return zone;
  ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone, e.g. Europe/Kyiv or UTC' });
  return z.NEVER;
});

// node-cron's own parser, so whatever passes here is a schedule createTask accepts.
const cronExpression = z.string().superRefine((expr, ctx) => {
  const { valid, errors } = validateCron(expr);
  if (!valid) {
    const why = errors.map((e) => e.message).join('; ');
    ctx.addIssue({ code: 'custom', message: `must be a cron expression (5 or 6 fields, e.g. "0 */6 * * *"): ${why}` });
  }
});

// §12 working hours, parsed by the rules that use them, so what passes here is what the bot applies.
const parsedBy = (parse: (text: string) => unknown) => z.string().superRefine((text, ctx) => {
  try {
    parse(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

// Zod runs refinements even after an earlier check failed, so each one parses defensively.
const parseUrl = (u: unknown): URL | null => (typeof u === 'string' && URL.canParse(u) ? new URL(u) : null);

/** A URL with one of these schemes (e.g. ['http:', 'https:']); z.url() alone lets ftp: or mailto: through. */
const urlWithScheme = (protocols: string[], example: string) =>
  z.url().refine((u) => protocols.includes(parseUrl(u)?.protocol ?? ''), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}, e.g. ${example}`,
  });

// Webhook URLs are built by appending a path, which a query or fragment would swallow.
const publicUrl = urlWithScheme(['http:', 'https:'], 'https://crm.example.com')
  .refine((u) => !parseUrl(u)?.search && !parseUrl(u)?.hash, { message: 'must not have a ?query or #fragment' });

// Digits only: z.coerce.number() would read ' ' as 0 and '0x50' as 80.
const wholeNumber = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min).max(max));

// A wall-clock time of day, HH:MM (24 h).
const clockTime = z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day, HH:MM (e.g. 09:00)');

// What listen() accepts: an IP address or a host name (resolved then).
const hostName = z.string().refine(
  (h) => isIP(h) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(h),
  { message: 'must be an IP address or a host name, e.g. 0.0.0.0 or 127.0.0.1' },
);

// Telegram's own Bot API takes webhooks only at these ports, over HTTPS;
// a self-hosted Bot API server (TELEGRAM_API_ROOT) takes any.
const TELEGRAM_WEBHOOK_PORTS = ['443', '80', '88', '8443'];
const OFFICIAL_TELEGRAM_HOST = 'api.telegram.org';

export const configSchema = z
  .object({
    NODE_ENV: withDefault(z.enum(['development', 'production', 'test']), 'development'),
    LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
    HOST: withDefault(hostName, '0.0.0.0'),
    PORT: withDefault(wholeNumber(0, 65535), '3000'),
    PUBLIC_URL: withDefault(publicUrl, 'http://localhost:3000'),
    DATABASE_URL: optional(urlWithScheme(['postgres:', 'postgresql:'], 'postgres://user:password@localhost:5432/crm')),
    DATA_DIR: withDefault(z.string(), './data'),
    // §15: every query has a bound, so a frozen database gives fast 503s.
    DB_CONNECT_TIMEOUT_MS: withDefault(wholeNumber(100, 120_000), '5000'),
    DB_STATEMENT_TIMEOUT_MS: withDefault(wholeNumber(100, 600_000), '10000'),
    REDIS_URL: optional(urlWithScheme(['redis:', 'rediss:'], 'redis://localhost:6379')),
    REDIS_KEY_PREFIX: withDefault(z.string().max(64), 'crm:'),
    BOT_TOKEN: optional(z.string().regex(/^\d+:[\w-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)')),
    BOT_MODE: withDefault(z.enum(['polling', 'webhook']), 'polling'),
    TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[\w-]{1,256}$/, 'must be 1-256 of A-Z a-z 0-9 _ -')),
    TELEGRAM_API_ROOT: withDefault(urlWithScheme(['http:', 'https:'], 'http://localhost:8081'), 'https://api.telegram.org'),
    ADMIN_TELEGRAM_IDS: withDefault(idList, ''),
    DEFAULT_LANGUAGE: withDefault(z.enum(['en', 'uk']), 'en'),
    DEFAULT_CAPACITY: withDefault(wholeNumber(1, 10_000), '20'),
    DEFAULT_COUNTRY: optional(countryCode),
    // The team's IANA zone: times in the bot are shown in it unless a user picks their own in /settings.
    TEAM_TIMEZONE: withDefault(timeZone, 'UTC'),
    JOBS_ENABLED: withDefault(z.stringbool(), 'true'),
    // SIGTERM: how long a graceful stop may take before the process exits anyway (Docker waits 10 s).
    SHUTDOWN_TIMEOUT_MS: withDefault(wholeNumber(500, 600_000), '10000'),
    STALE_CRON: withDefault(cronExpression, '0 */6 * * *'),
    STALE_AFTER_DAYS: withDefault(z.coerce.number().positive().max(365), 7),
    STALE_MAX_ALERTS_PER_RUN: withDefault(wholeNumber(1, 1000), '10'),
    // §16 per-user limits (uses per window).
    RATE_LIMIT_LEAD_CREATIONS_PER_HOUR: withDefault(wholeNumber(1, 100_000), '10'),
    RATE_LIMIT_AI_ANALYSES_PER_DAY: withDefault(wholeNumber(1, 100_000), '20'),
    RATE_LIMIT_STAGE_CHANGES_PER_HOUR: withDefault(wholeNumber(1, 100_000), '100'),
    RATE_LIMIT_FILE_UPLOADS_PER_HOUR: withDefault(wholeNumber(1, 100_000), '5'),
    OUTBOX_POLL_MS: withDefault(wholeNumber(100, 600_000), '5000'),
    OUTBOX_MAX_AGE_HOURS: withDefault(z.coerce.number().positive().max(24 * 30), 24),
    // §12: when the team answers customers who write to the bot (in TEAM_TIMEZONE); outside it the bot auto-replies once.
    WORKING_HOURS: withDefault(parsedBy(parseSchedule), 'mon-fri 09:00-18:00'),
    DAYS_OFF: optional(parsedBy(parseDaysOff)),
    // Issue 11, speed-to-lead: a NEW lead nobody contacted this long after it came (working minutes) alerts its owner; 0: off.
    FIRST_CONTACT_SLA_MINUTES: withDefault(wholeNumber(0, 7 * 24 * 60), '15'),
    // The escalation ladder (issue 11): managers get an alerted lead after this many (working) hours of silence; 0: off.
    ESCALATE_AFTER_HOURS: withDefault(z.coerce.number().min(0).max(24 * 30), 4),
    // … and after this many more it is reassigned by the §4 rule; 0: off.
    ESCALATE_REASSIGN_AFTER_HOURS: withDefault(z.coerce.number().min(0).max(24 * 30), 8),
    // How often the follow-ups job runs: SLA alerts, the ladder, waiting leads, daily digests.
    FOLLOWUPS_CRON: withDefault(cronExpression, '* * * * *'),
    // The daily digest's local time (each person's zone) on working days; each person can move it or turn it off.
    DIGEST_TIME: withDefault(clockTime, '09:00'),
    // "⏰ Tomorrow morning" on a reminder: this local time, in the person's zone.
    REMINDER_MORNING: withDefault(clockTime, '09:00'),
    // §14: the board warns when QUALIFIED holds more leads than this (work-in-progress limit).
    BOARD_WIP_LIMIT: withDefault(wholeNumber(1, 100_000), '20'),
    // §16: how long Telegram's Mini App init data is accepted after Telegram signed it, in seconds.
    MINIAPP_INIT_DATA_MAX_AGE_S: withDefault(wholeNumber(60, 7 * 86_400), '86400'),
    // §8: a Telegram group the bot is in (its id, negative for groups) that gets a card of every new deal.
    SALES_CHAT_ID: optional(z.string().trim().regex(/^-?[1-9]\d{0,15}$/, 'must be a Telegram chat id, e.g. -1001234567890')
      .transform(Number)),
    // §9: deals are in this currency unless the amount typed names another (ISO 4217).
    DEFAULT_CURRENCY: withDefault(z.string().trim().toUpperCase()
      .refine(isCurrencyCode, 'must be an ISO 4217 currency code, e.g. UAH, USD or EUR'), 'UAH'),
    // §9, §10: an open deal without activity for this many days alerts its owner (in the stale job's runs).
    DEAL_STALE_AFTER_DAYS: withDefault(z.coerce.number().positive().max(365), 7),
    // §16 JSON API: HS256 key of the access tokens (unset: a random one per process, so tokens die with it).
    API_JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
    API_ACCESS_TOKEN_TTL_SECONDS: withDefault(wholeNumber(30, 86_400), '900'),
    API_REFRESH_TOKEN_TTL_DAYS: withDefault(wholeNumber(1, 365), '30'),
    // Requests per minute, per user and per API key, on top of the per-action limits above.
    API_RATE_LIMIT_PER_MINUTE: withDefault(wholeNumber(1, 1_000_000), '120'),
    // §13 outbound webhooks. Private/loopback receivers are refused unless allowed (tests, an internal network).
    WEBHOOK_ALLOW_PRIVATE_URLS: withDefault(z.stringbool(), 'false'),
    WEBHOOK_TIMEOUT_MS: withDefault(wholeNumber(100, 120_000), '10000'),
    WEBHOOK_MAX_ATTEMPTS: withDefault(wholeNumber(1, 100), '15'),
    WEBHOOK_MAX_AGE_HOURS: withDefault(z.coerce.number().positive().max(24 * 30), 72),
    WEBHOOK_POLL_MS: withDefault(wholeNumber(50, 600_000), '1000'),
    OPENAI_API_KEY: optional(z.string().min(1)),
    OPENAI_BASE_URL: optional(urlWithScheme(['http:', 'https:'], 'https://api.openai.com/v1')),
    OPENAI_MODEL: withDefault(z.string().min(1), 'gpt-4o-mini'),
    // §7: one model call may take this long (ms), then the rule-based score answers.
    AI_TIMEOUT_MS: withDefault(wholeNumber(100, 300_000), '15000'),
    // §7: model calls per UTC day across all instances; past it, the rule-based score answers.
    AI_DAILY_CAP: withDefault(wholeNumber(0, 10_000_000), '500'),
    // USD per million tokens, for cost_usd in the audit log and /aistats (defaults: gpt-4o-mini's list prices).
    AI_PRICE_INPUT_PER_MTOK: withDefault(z.coerce.number().min(0).max(10_000), '0.15'),
    AI_PRICE_OUTPUT_PER_MTOK: withDefault(z.coerce.number().min(0).max(10_000), '0.60'),
    // Analyses of new and newly qualified leads run by this many at a time per instance (0: this instance runs none).
    AI_WORKER_CONCURRENCY: withDefault(wholeNumber(0, 64), '2'),
    // How often the worker looks for work without a NOTIFY (ms).
    AI_WORKER_POLL_MS: withDefault(wholeNumber(100, 600_000), '5000'),
  })
  .superRefine((c, ctx) => {
    if (c.BOT_MODE === 'webhook' && c.BOT_TOKEN && !c.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when BOT_MODE=webhook',
      });
    }
    // setWebhook would refuse it on start, after the database was opened and migrated.
    const url = parseUrl(c.PUBLIC_URL);
    if (c.BOT_MODE === 'webhook' && c.BOT_TOKEN && url && parseUrl(c.TELEGRAM_API_ROOT)?.hostname === OFFICIAL_TELEGRAM_HOST) {
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      if (url.protocol !== 'https:' || !TELEGRAM_WEBHOOK_PORTS.includes(port)) {
        ctx.addIssue({
          code: 'custom',
          path: ['PUBLIC_URL'],
          message: `must be https:// on port ${TELEGRAM_WEBHOOK_PORTS.join(', ')} when BOT_MODE=webhook: Telegram sends webhooks nowhere else`,
        });
      }
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads a dotenv file (default `.env` in the working directory) into
 * process.env, if it exists; returns whether it did. Entry points (main.ts,
 * scripts/) call it before createConfig(process.env). Variables already in
 * the environment win over the file: process.loadEnvFile never replaces a
 * variable that is set, even to '' (Node 24; tests/config.test.ts checks it).
 */
export function loadEnvFile(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  process.loadEnvFile(path);
  return true;
}

/**
 * Parses the environment once. Throws ConfigError whose message names every
 * bad variable, e.g. "Invalid configuration:\n✖ must be … → at PORT".
 */
export function createConfig(env: Record<string, string | undefined>): Config {
  // TIMEZONE is accepted as another spelling of TEAM_TIMEZONE.
  const parsed = configSchema.safeParse(env.TEAM_TIMEZONE || !env.TIMEZONE ? env : { ...env, TEAM_TIMEZONE: env.TIMEZONE });
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
