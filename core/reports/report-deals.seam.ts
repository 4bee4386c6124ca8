import { sql, type RawBuilder } from 'kysely';
import type { PeriodBounds } from './report-period.rules.js';

/*
 * Where the reports meet the sales pipeline (§9, core.deals): a lead's deal
 * (one per transferred lead) gives "days lead → PAID" in the manager report
 * and "won deals" in /mystats. Kept apart so the lead-side queries read the
 * same with or without deals.
 */

/** The manager report's join of each lead's deal (leads aliased l). */
export const salesJoin = (): RawBuilder<unknown> => sql`left join deals d on d.lead_id = l.id`;

/** Average days from lead creation to its deal's PAID (float8; null: none paid). */
export const daysToPaidSelect = (): RawBuilder<number | null> =>
  sql<number | null>`(avg(extract(epoch from (d.closed_at - l.created_at)) / 86400) filter (where d.stage = 'PAID'))::float8`;

/** Deals the person (aliased pe) owns that were PAID in the period. */
export const wonDealsSelect = (p: PeriodBounds): RawBuilder<number> => sql<number>`(select count(*) from deals w
  where w.owner_id = pe.id and w.stage = 'PAID' and w.closed_at >= ${p.from} and w.closed_at < ${p.to})`;
