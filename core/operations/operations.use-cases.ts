import { sql } from 'kysely';
import type { CoreContext } from '../core-context.js';
import { raiseStaleAlerts } from '../leads/stale-leads.service.js';
import { countLeads } from '../leads/lead-stats.repository.js';

/** What jobs, /health and /metrics ask of core (§10, §15). */
export function operationsUseCases(ctx: CoreContext) {
  const { db, config } = ctx;
  return {
    /** One run of the §10 stale-lead alerts, on the run's clock. See raiseStaleAlerts. */
    raiseStaleAlerts: (now: Date = ctx.now()) => raiseStaleAlerts(db, {
      staleAfterDays: config.STALE_AFTER_DAYS, maxAlerts: config.STALE_MAX_ALERTS_PER_RUN, now,
    }),
    /** /health: resolves when the database answers SELECT 1; throws when it does not. */
    pingDatabase: async (): Promise<void> => {
      await sql`select 1`.execute(db);
    },
    /** /metrics: leads created per source (deleted ones included) and live leads per stage. */
    leadCounts: () => countLeads(db),
  };
}
