import { sql } from 'kysely';
import type { Db } from '../database.js';

/**
 * The form_source_health rows (§11): a source's run of unprocessable
 * submissions and when admins were last alerted about it. Each write is one
 * statement on the source's row, so concurrent deliveries on several
 * instances never lose a count or claim the same alert twice.
 */

/** One more unprocessable submission in a row; returns the streak including it. */
export async function bumpUnprocessableStreak(db: Db, formSourceId: number): Promise<number> {
  const row = await db.insertInto('form_source_health')
    .values({ form_source_id: formSourceId, unprocessable_streak: 1 })
    .onConflict((oc) => oc.column('form_source_id').doUpdateSet({
      unprocessable_streak: sql`form_source_health.unprocessable_streak + 1`, updated_at: sql`now()`,
    }))
    .returning('unprocessable_streak').executeTakeFirstOrThrow();
  return row.unprocessable_streak;
}

/** An accepted submission ends the streak (no write when there is none). */
export async function resetUnprocessableStreak(db: Db, formSourceId: number): Promise<void> {
  await db.updateTable('form_source_health').set({ unprocessable_streak: 0, updated_at: sql`now()` })
    .where('form_source_id', '=', formSourceId).where('unprocessable_streak', '>', 0).execute();
}

/**
 * Takes the source's alert slot at `now` if the last alert is older than
 * `intervalMs` (or there was none): a set-if-older in one upsert, so of
 * concurrent callers exactly one gets true until the interval has passed.
 */
export async function claimSourceAlert(db: Db, p: { formSourceId: number; now: Date; intervalMs: number }): Promise<boolean> {
  const cutoff = new Date(p.now.getTime() - p.intervalMs);
  const row = await db.insertInto('form_source_health')
    .values({ form_source_id: p.formSourceId, alerted_at: p.now })
    .onConflict((oc) => oc.column('form_source_id')
      .doUpdateSet({ alerted_at: p.now, updated_at: sql`now()` })
      .where((eb) => eb.or([
        eb('form_source_health.alerted_at', 'is', null),
        eb('form_source_health.alerted_at', '<=', cutoff),
      ])))
    .returning('form_source_id').executeTakeFirst();
  return row !== undefined;
}
