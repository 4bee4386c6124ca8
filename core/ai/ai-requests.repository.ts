import { sql } from 'kysely';
import type { AiAnalysisRequest, Db } from '../database.js';
import { inTransaction } from '../transaction.js';

/**
 * The AI worker's queue (migration 2026_12_02_001210): claim under a lease
 * with SKIP LOCKED (several workers, several instances, never the same row
 * twice while its lease lives), delete when done, hand back with a delay
 * when the attempt failed. A claim whose instance died is taken again once
 * its lease runs out.
 */

const after = (ms: number) => sql<Date>`now() + ${`${Math.round(ms)} milliseconds`}::interval`;

/**
 * Claims up to `limit` due requests for the pass `token`: unclaimed ones
 * whose time has come (`now`: core's clock may be ahead of the database's
 * in tests), and claimed ones whose lease ran out. Attempts are counted.
 */
export async function claimRequests(
  db: Db, p: { limit: number; leaseMs: number; token: string; now?: Date },
): Promise<AiAnalysisRequest[]> {
  const dueBy = p.now ? sql<Date>`greatest(now(), ${p.now}::timestamptz)` : sql<Date>`now()`;
  return inTransaction(db, async (trx) => {
    const ids = await trx.selectFrom('ai_analysis_requests').select('id')
      .where((eb) => eb.or([
        eb.and([eb('lease_token', 'is', null), eb('available_at', '<=', dueBy)]),
        eb('lease_until', '<', sql<Date>`now()`),
      ]))
      .orderBy('available_at').orderBy('id').limit(p.limit).forUpdate().skipLocked().execute();
    if (ids.length === 0) return [];
    return trx.updateTable('ai_analysis_requests')
      .set({ lease_until: after(p.leaseMs), lease_token: p.token, attempts: sql`attempts + 1` })
      .where('id', 'in', ids.map((r) => r.id)).returningAll().execute();
  });
}

/** Done (analysed, or nothing to analyse any more): the row goes. Only the pass holding it may. */
export async function completeRequest(db: Db, p: { id: number; token: string }): Promise<void> {
  await db.deleteFrom('ai_analysis_requests').where('id', '=', p.id).where('lease_token', '=', p.token).execute();
}

/** Failed (the database, a bug): tried again after `delayMs`. */
export async function retryRequest(db: Db, p: { id: number; token: string; delayMs: number; error: string }): Promise<void> {
  await db.updateTable('ai_analysis_requests')
    .set({ lease_until: null, lease_token: null, available_at: after(p.delayMs), last_error: p.error.slice(0, 500) })
    .where('id', '=', p.id).where('lease_token', '=', p.token).execute();
}

/** Requests waiting (due or not, claimed or not): /aistats and tests. */
export async function pendingRequests(db: Db): Promise<number> {
  const row = await db.selectFrom('ai_analysis_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the next unclaimed request is due, or a lease runs out; null when nothing waits. */
export async function nextRequestDueAt(db: Db): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | string | null }>`select least(
    (select min(available_at) from ai_analysis_requests where lease_token is null),
    (select min(lease_until) from ai_analysis_requests where lease_token is not null)) as at`.execute(db);
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}
