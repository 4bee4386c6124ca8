import type { Db } from '../database.js';
import type { SourceProblem } from '../outbox/outbox.messages.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { bumpUnprocessableStreak, claimSourceAlert, resetUnprocessableStreak } from './source-health.repository.js';
import { isAlertWorthy, SOURCE_ALERT_INTERVAL_MS } from './source-health.rules.js';

/**
 * Records a refused delivery of a form source (§11) and, when it shows the
 * source is failing, alerts every active admin through the outbox — at
 * most once per SOURCE_ALERT_INTERVAL_MS per source, on whichever instance
 * gets there first (the slot is taken in the database, in the transaction
 * that queues the alert). `problem`: see sourceProblemOf; 'unprocessable'
 * counts towards the streak and alerts from UNPROCESSABLE_STREAK_ALERT on.
 * `now`: core's clock. Returns whether an alert was queued and the streak
 * of unprocessable submissions (0 for the other problems).
 */
export async function recordSourceRefusal(
  db: Db, p: { formSourceId: number; problem: SourceProblem; now: Date },
): Promise<{ alerted: boolean; streak: number }> {
  return inTransaction(db, async (trx) => {
    const streak = p.problem === 'unprocessable' ? await bumpUnprocessableStreak(trx, p.formSourceId) : 0;
    if (!isAlertWorthy(p.problem, streak)) return { alerted: false, streak };
    const claimed = await claimSourceAlert(trx, { formSourceId: p.formSourceId, now: p.now, intervalMs: SOURCE_ALERT_INTERVAL_MS });
    if (!claimed) return { alerted: false, streak };
    await queueMessage(trx, { permission: 'sources.manage' }, {
      kind: 'form_source_failing', formSourceId: p.formSourceId, problem: p.problem, streak,
    });
    return { alerted: true, streak };
  });
}

/** A delivery of the source was accepted (2xx): its run of unprocessable submissions is over (§11). */
export async function recordSourceAccepted(db: Db, formSourceId: number): Promise<void> {
  await resetUnprocessableStreak(db, formSourceId);
}
