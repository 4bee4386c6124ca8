import type { Kysely } from 'kysely';
import { apiAccessUseCases } from './api-access/api-access.use-cases.js';
import type { Logger } from 'pino';
import { aiUseCases, type AiHooks } from './ai/ai.use-cases.js';
import type { CoreConfig, CoreContext, CoreMetrics } from './core-context.js';
import { dealUseCases } from './deals/deals.use-cases.js';
import { channelUseCases, conversationUseCases } from './conversations/conversations.use-cases.js';
import type { Database } from './database.js';
import { importUseCases } from './imports/imports.use-cases.js';
import { formSourceUseCases, intakeUseCases } from './intake/intake.use-cases.js';
import { createSourceCache } from './intake/source-cache.js';
import { bulkUseCases } from './leads/bulk.use-cases.js';
import { leadUseCases } from './leads/leads.use-cases.js';
import { attachmentUseCases, noteUseCases } from './leads/notes.use-cases.js';
import { operationsUseCases } from './operations/operations.use-cases.js';
import { boardUseCases } from './board/board.use-cases.js';
import { reportUseCases } from './reports/reports.use-cases.js';
import { outboxUseCases, type ListenFn } from './outbox/outbox.use-cases.js';
import { createRateLimiter, rateLimitsFrom } from './security/rate-limit.js';
import type { KeyValueStore } from './store/kv-store.js';
import { userUseCases } from './users/users.use-cases.js';
import { followupUseCases } from './followups/followups.use-cases.js';
import { reminderUseCases } from './reminders/reminders.use-cases.js';
import { webhookUseCases } from './webhooks/webhooks.use-cases.js';

export interface CoreDeps {
  db: Kysely<Database>;
  store: KeyValueStore;
  config: CoreConfig;
  logger: Logger;
  /** PostgreSQL LISTEN (the database handle's); without it delivery relies on its poll. */
  listen?: ListenFn;
  now?: () => Date;
  /** AI analysis: an observer (metrics), a model client standing in for the SDK's. */
  ai?: AiHooks;
  /** Counters core feeds (crm_transfers_total); none: nothing is counted. */
  metrics?: CoreMetrics;
}

/**
 * The CRM's front door (house style rule 17): every use case an edge may
 * call, bound once to the database, the shared store, the rate limiter and
 * the settings. A button, an HTTP request and a cron run reach the same
 * function here, so they meet the same rules and the same refusals.
 */
export function createCore(deps: CoreDeps) {
  const ctx: CoreContext = {
    db: deps.db,
    store: deps.store,
    limiter: createRateLimiter(deps.store, rateLimitsFrom(deps.config)),
    config: deps.config,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    metrics: deps.metrics ?? {},
  };
  const leads = leadUseCases(ctx);
  // Shared by the two halves of intake, so a source disabled here is refused here at once.
  const sourceCache = createSourceCache();
  return {
    leads,
    notes: noteUseCases(ctx),
    attachments: attachmentUseCases(ctx),
    bulk: bulkUseCases(ctx),
    users: userUseCases(ctx),
    formSources: formSourceUseCases(ctx, sourceCache),
    intake: intakeUseCases(ctx, sourceCache),
    outbox: outboxUseCases(ctx, deps.listen),
    operations: operationsUseCases(ctx),
    conversations: conversationUseCases(ctx),
    channel: channelUseCases(ctx),
    imports: importUseCases(ctx),
    ai: aiUseCases(ctx, deps.listen, deps.ai),
    reminders: reminderUseCases(ctx),
    followups: followupUseCases(ctx),
    reports: reportUseCases(ctx),
    board: boardUseCases(ctx, leads),
    deals: dealUseCases(ctx),
    api: apiAccessUseCases(ctx),
    webhooks: webhookUseCases(ctx),
  };
}

export type Core = ReturnType<typeof createCore>;
