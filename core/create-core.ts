import type { Kysely } from 'kysely';
import { apiAccessUseCases } from './api-access/api-access.use-cases.js';
import type { Logger } from 'pino';
import type { CoreConfig, CoreContext } from './core-context.js';
import { channelUseCases, conversationUseCases } from './conversations/conversations.use-cases.js';
import type { Database } from './database.js';
import { importUseCases } from './imports/imports.use-cases.js';
import { formSourceUseCases, intakeUseCases } from './intake/intake.use-cases.js';
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
import { webhookUseCases } from './webhooks/webhooks.use-cases.js';

export interface CoreDeps {
  db: Kysely<Database>;
  store: KeyValueStore;
  config: CoreConfig;
  logger: Logger;
  /** PostgreSQL LISTEN (the database handle's); without it delivery relies on its poll. */
  listen?: ListenFn;
  now?: () => Date;
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
  };
  const leads = leadUseCases(ctx);
  return {
    leads,
    notes: noteUseCases(ctx),
    attachments: attachmentUseCases(ctx),
    bulk: bulkUseCases(ctx),
    users: userUseCases(ctx),
    formSources: formSourceUseCases(ctx),
    intake: intakeUseCases(ctx),
    outbox: outboxUseCases(ctx, deps.listen),
    operations: operationsUseCases(ctx),
    conversations: conversationUseCases(ctx),
    channel: channelUseCases(ctx),
    imports: importUseCases(ctx),
    reports: reportUseCases(ctx),
    board: boardUseCases(ctx, leads),
    api: apiAccessUseCases(ctx),
    webhooks: webhookUseCases(ctx),
  };
}

export type Core = ReturnType<typeof createCore>;
