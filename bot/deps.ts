import type { Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Config } from '../config.js';
import type { Core, KeyValueStore } from '../core/index.js';
import type { Logger } from '../logger.js';
import type { ChartJobs } from './charts/chart-jobs.js';
import type { FileFetch } from './telegram-files.js';

export interface BotDeps {
  config: Config;
  /** The CRM: every read and change goes through it (rights, rules, quotas). */
  core: Core;
  /** The bot's own short-lived state: conversations, list pages, selections. Redis makes it shared across instances. */
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
  /**
   * True while the shared store (Redis) is away or was lately: a conversation
   * kept there may have been lost, so stray text gets "please start again"
   * instead of "unknown command". Default: never.
   */
  storeTrouble?: () => boolean;
  /** Fetches files people send the bot (a CSV to import) from Telegram; default: fetch. Tests fake Telegram here. */
  fetchFile?: FileFetch;
  /** Where report charts are drawn and sent, off the update's path; default: a queue of the bot's own. Tests await its idle(). */
  chartJobs?: ChartJobs;
}
