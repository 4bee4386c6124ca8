import type { Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../core/database.js';
import type { RateLimiter } from '../core/security/rate-limit.js';
import type { KeyValueStore } from '../core/store/kv-store.js';
import type { Logger } from '../logger.js';

export interface BotDeps {
  config: Config;
  db: Kysely<Database>;
  /** Conversation state and short-lived button state; Redis makes it shared across instances. */
  store: KeyValueStore;
  logger: Logger;
  /** Known bot identity: skips getMe at start (tests, or a cached value). */
  botInfo?: UserFromGetMe;
  /**
   * API transformers installed closest to the network, before auto-retry:
   * tests put the fake Telegram here so its 429s are retried like real ones.
   */
  apiTransformers?: Transformer[];
  /**
   * Called once per update (metrics): its type ('message', 'callback_query', …),
   * how long handling took in seconds, and whether it ended without an unexpected error.
   */
  onUpdate?: (type: string, seconds: number, ok: boolean) => void;
  /** §16 per-user limits; default: the standard limits on `store` (tests pass tighter ones). */
  limiter?: RateLimiter;
}

/** What features get: BotDeps with the defaults filled in by createBot. */
export type FeatureDeps = BotDeps & { limiter: RateLimiter };
