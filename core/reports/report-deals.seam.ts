import { sql, type RawBuilder } from 'kysely';

/*
 * The seam to the sales pipeline (§9). Until core.deals exists there is no
 * deal to be PAID, so "days lead → PAID" and "won deals" are null / 0 here;
 * once the sales table lands, these fragments join it and every report
 * query picks it up unchanged.
 */

/** The manager report's extra join (none while there are no sales). */
export const salesJoin = (): RawBuilder<unknown> => sql``;

/** Average days from lead creation to its deal's PAID (float8, null: none paid). */
export const daysToPaidSelect = (): RawBuilder<number | null> => sql<number | null>`null::float8`;

/** Deals a user won (PAID) among the leads of a per-user subquery aliased pl. */
export const wonDealsSelect = (): RawBuilder<number> => sql<number>`0`;
