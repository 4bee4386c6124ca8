import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import type { ColdStage } from './lead.constants.js';
import { recordHistory } from './lead-history.repository.js';

/** §10: only leads someone is actively working can go stale. */
export const STALE_STAGES: readonly ColdStage[] = ['CONTACTED', 'QUALIFIED'];

const DAY_MS = 86_400_000;

export interface StaleAlertOptions {
  /** The inactivity period of §10, in days (may be fractional). */
  staleAfterDays: number;
  /** At most this many alerts per run (§10, default 10 in config). */
  maxAlerts: number;
  /** The run's clock; default new Date(). */
  now?: Date;
}

export interface StaleAlertResult {
  leadId: number;
  userId: number;
  status: 'alerted' | 'skipped';
  /** Why an item was skipped: 'not_stale', 'already_alerted', or 'error: …'. */
  reason?: string;
  /** Whole days without activity, for alerted items. */
  days?: number;
}

/**
 * Raises §10 stale-lead alerts: leads in CONTACTED/QUALIFIED, assigned, not
 * deleted, with last_activity_at older than `staleAfterDays`, and no alert
 * newer than that period — so a lead is alerted again only after another
 * full stale period, and activity after an alert makes it fresh again. An
 * alert whose message failed (Telegram away past the outbox's maximum age,
 * the bot blocked) does not count, so the next run alerts again.
 * Longest without activity (or alert) first, at most `maxAlerts` candidates per run.
 *
 * Each alert is one transaction: lock the lead (FOR UPDATE), re-check the
 * rule, insert stale_alerts, write a NURTURE history row (actor: system,
 * details {days}) and queue a 'stale_alert' message {days, score} for
 * the assignee. Delivery happens after commit (outbox), so concurrent runs,
 * re-runs and crashes never alert a lead twice. Alerting does not touch
 * last_activity_at.
 *
 * `db` must be the root handle (each item opens its own transaction).
 * Never throws for one item: failures come back as skipped with the reason.
 */
export async function raiseStaleAlerts(db: Kysely<Database>, options: StaleAlertOptions): Promise<StaleAlertResult[]> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.staleAfterDays * DAY_MS);
  const candidates = await findStaleCandidates(db, cutoff, options.maxAlerts);
  const results: StaleAlertResult[] = [];
  for (const candidate of candidates) {
    const item = { leadId: candidate.id, userId: candidate.assigned_to! };
    try {
      results.push({ ...item, ...await db.transaction().execute((trx) => alertOne(trx, candidate.id, now, cutoff)) });
    } catch (err) {
      results.push({ ...item, status: 'skipped', reason: `error: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return results;
}

/**
 * Up to `limit` leads to alert, longest without activity or alert first.
 * Reads leads_stale_due_idx (greatest(last_activity_at, stale_alerted_at)):
 * leads alerted within the period sort after the cutoff and are never
 * read, so the scan costs the same with 50,000 alerted leads as with none
 * (127 ms before at 50,000). Plus the few leads whose alert within the
 * period failed to deliver (it does not count): found from that period's
 * stale_alerts, a set bounded by runs × alerts per run. alertOne re-checks each.
 */
async function findStaleCandidates(db: Kysely<Database>, cutoff: Date, limit: number): Promise<{ id: number; assigned_to: number | null }[]> {
  const due = sql<Date>`greatest(last_activity_at, stale_alerted_at)`;
  const [fresh, failed] = await Promise.all([
    db.selectFrom('leads').select(['id', 'assigned_to', due.as('due_at')])
      .where('stage', 'in', STALE_STAGES).where('assigned_to', 'is not', null).where('is_deleted', '=', false)
      .where(due, '<=', cutoff).where('last_activity_at', '<', cutoff)
      .orderBy(due).orderBy('id').limit(limit).execute(),
    db.selectFrom('stale_alerts as sa').innerJoin('notifications as n', 'n.id', 'sa.notification_id')
      .innerJoin('leads as l', 'l.id', 'sa.lead_id')
      .select(['l.id', 'l.assigned_to', 'l.last_activity_at as due_at'])
      .where('sa.created_at', '>', cutoff).where('n.status', '=', 'failed')
      .where('l.stage', 'in', STALE_STAGES).where('l.assigned_to', 'is not', null).where('l.is_deleted', '=', false)
      .where('l.last_activity_at', '<', cutoff)
      .limit(limit).execute(),
  ]);
  const byId = new Map([...fresh, ...failed].map((c) => [c.id, c]));
  return [...byId.values()]
    .sort((a, b) => new Date(a.due_at).getTime() - new Date(b.due_at).getTime() || a.id - b.id)
    .slice(0, limit);
}

/** userId only when the lead turned out to be assigned to someone else by now. */
type ItemOutcome = Omit<StaleAlertResult, 'leadId' | 'userId'> & { userId?: number };

async function alertOne(trx: Transaction<Database>, leadId: number, now: Date, cutoff: Date): Promise<ItemOutcome> {
  // The lock serialises us with a concurrent run (and with stage changes);
  // whoever waits re-reads the committed row and the alert it produced.
  const lead = await trx.selectFrom('leads')
    .select(['id', 'stage', 'assigned_to', 'is_deleted', 'last_activity_at', 'ai_score'])
    .where('id', '=', leadId).forUpdate().executeTakeFirst();
  if (!lead || lead.assigned_to === null || lead.is_deleted || !STALE_STAGES.includes(lead.stage)
      || lead.last_activity_at >= cutoff) {
    return { status: 'skipped', reason: 'not_stale' };
  }
  // An alert whose message could not be delivered does not count: the lead is alerted again.
  const already = await trx.selectFrom('stale_alerts as sa').leftJoin('notifications as n', 'n.id', 'sa.notification_id')
    .select('sa.id').where('sa.lead_id', '=', leadId).where('sa.created_at', '>', cutoff)
    .where((eb) => eb.or([eb('n.status', 'is', null), eb('n.status', '<>', 'failed')]))
    .executeTakeFirst();
  if (already) return { status: 'skipped', reason: 'already_alerted' };

  const days = Math.floor((now.getTime() - lead.last_activity_at.getTime()) / DAY_MS);
  const [notificationId] = await queueMessage(trx, { user: lead.assigned_to }, {
    kind: 'stale_alert', leadId, days, score: lead.ai_score,
  });
  await trx.insertInto('stale_alerts').values({
    lead_id: leadId,
    user_id: lead.assigned_to,
    notification_id: notificationId ?? null,
    stale_since: lead.last_activity_at,
    days_inactive: days,
    // The run's clock, not the database's, so "another full period" is
    // measured on the same clock that found the lead stale.
    created_at: now,
  }).execute();
  // The scan's index reads this; not a change anyone made, so the version (and the cards' buttons) stay.
  await trx.updateTable('leads').set({ stale_alerted_at: now }).where('id', '=', leadId).execute();
  await recordHistory(trx, {
    lead_id: leadId,
    action: 'NURTURE',
    actor_user_id: null,
    // No text: each reader sees "no activity for N days" in their language, from details.
    details: { days },
    created_at: now,
  });
  return { userId: lead.assigned_to, status: 'alerted', days };
}
