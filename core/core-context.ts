import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from './database.js';
import type { RateLimiter } from './security/rate-limit.js';
import type { KeyValueStore } from './store/kv-store.js';

/** The settings core reads (names as in config.ts, so one setting has one name everywhere). */
export type CoreConfig = Pick<Config,
  | 'ADMIN_TELEGRAM_IDS' | 'DEFAULT_CAPACITY' | 'DEFAULT_COUNTRY' | 'PUBLIC_URL'
  | 'STALE_AFTER_DAYS' | 'STALE_MAX_ALERTS_PER_RUN' | 'OUTBOX_MAX_AGE_HOURS'
  | 'RATE_LIMIT_LEAD_CREATIONS_PER_HOUR' | 'RATE_LIMIT_AI_ANALYSES_PER_DAY' | 'RATE_LIMIT_STAGE_CHANGES_PER_HOUR'
  | 'RATE_LIMIT_FILE_UPLOADS_PER_HOUR' | 'TEAM_TIMEZONE' | 'WORKING_HOURS' | 'DAYS_OFF' | 'NODE_ENV' | 'BOARD_WIP_LIMIT'
  | 'FIRST_CONTACT_SLA_MINUTES' | 'ESCALATE_AFTER_HOURS' | 'ESCALATE_REASSIGN_AFTER_HOURS' | 'DIGEST_TIME' | 'REMINDER_MORNING'
  | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'AI_TIMEOUT_MS' | 'AI_DAILY_CAP'
  | 'AI_PRICE_INPUT_PER_MTOK' | 'AI_PRICE_OUTPUT_PER_MTOK'
  | 'API_JWT_SECRET' | 'API_ACCESS_TOKEN_TTL_SECONDS' | 'API_REFRESH_TOKEN_TTL_DAYS' | 'API_RATE_LIMIT_PER_MINUTE'
  | 'WEBHOOK_ALLOW_PRIVATE_URLS' | 'WEBHOOK_TIMEOUT_MS' | 'WEBHOOK_MAX_ATTEMPTS' | 'WEBHOOK_MAX_AGE_HOURS'
  | 'SALES_CHAT_ID' | 'DEFAULT_CURRENCY' | 'DEAL_STALE_AFTER_DAYS' | 'DEFAULT_LANGUAGE'>;

/**
 * Counters core feeds (metrics.ts's prom-client ones fit): core counts what
 * happened, whichever edge asked, so the bot, the API and the Mini App are
 * counted alike.
 */
export interface CoreMetrics {
  /** crm_transfers_total (§15): result success|failed; reason: the first refused §8 condition. */
  transfers?: { inc(labels: { result: 'success' | 'failed'; reason?: string }): void };
}

/** What every use case is bound to (createCore builds it once). */
export interface CoreContext {
  /** The root handle: use cases own their transactions. */
  db: Kysely<Database>;
  /** Shared short-lived state: undo records, locks, rate-limit counters. */
  store: KeyValueStore;
  limiter: RateLimiter;
  config: CoreConfig;
  logger: Logger;
  /** The clock (tests pass a controllable one). */
  now: () => Date;
  metrics: CoreMetrics;
}
