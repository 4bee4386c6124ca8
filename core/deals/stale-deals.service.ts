import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { OPEN_DEAL_STAGES } from './deal.constants.js';
import { recordDealHistory } from './deal.repository.js';

const DAY_MS = 86_400_000;

export interface StaleDealResult {
  dealId: number;
  userId: number;
  status: 'alerted' | 'skipped';
  /** 'not_stale', 'already_alerted', or 'error: …'. */
  reason?: string;
  days?: number;
}

/**
 * §9, §10: stale-deal alerts, as stale-lead ones — an open deal (NEW, KYC,
 * AGREEMENT) without activity for `staleAfterDays` (DEAL_STALE_AFTER_DAYS)
 * and no alert within that period alerts its owner (deal_stale_alert), with
 * a STALE_ALERT history row; again only after another full period; an alert
 * whose message failed does not count. Oldest activity first, at most
 * `maxAlerts` per run. Each alert is one transaction under the deal's row
 * lock, so concurrent runs and restarts never alert a deal twice.
 * Alerting does not touch last_activity_at. `db`: the root handle.
 * Never throws for one deal: failures come back as skipped with the reason.
 */
export async function raiseStaleDealAlerts(
  db: Kysely<Database>, options: { staleAfterDays: number; maxAlerts: number; now: Date },
): Promise<StaleDealResult[]> {
  const { now } = options;
  const cutoff = new Date(now.getTime() - options.staleAfterDays * DAY_MS);
  const candidates = await db.selectFrom('deals')
    .select(['id', 'owner_id'])
    .where('stage', 'in', OPEN_DEAL_STAGES)
    .where('last_activity_at', '<', cutoff)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('deal_stale_alerts as sa').leftJoin('notifications as n', 'n.id', 'sa.notification_id').select('sa.id')
        .whereRef('sa.deal_id', '=', 'deals.id').where('sa.created_at', '>', cutoff)
        .where((eb) => eb.or([eb('n.status', 'is', null), eb('n.status', '<>', 'failed')])),
    )))
    .orderBy('last_activity_at', 'asc').orderBy('id', 'asc')
    .limit(options.maxAlerts)
    .execute();
  const results: StaleDealResult[] = [];
  for (const c of candidates) {
    const item = { dealId: c.id, userId: c.owner_id };
    try {
      results.push({ ...item, ...await db.transaction().execute((trx) => alertOne(trx, c.id, now, cutoff)) });
    } catch (err) {
      results.push({ ...item, status: 'skipped', reason: `error: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return results;
}

async function alertOne(
  trx: Transaction<Database>, dealId: number, now: Date, cutoff: Date,
): Promise<Omit<StaleDealResult, 'dealId' | 'userId'> & { userId?: number }> {
  const deal = await trx.selectFrom('deals').select(['id', 'stage', 'owner_id', 'last_activity_at'])
    .where('id', '=', dealId).forUpdate().executeTakeFirst();
  if (!deal || !(OPEN_DEAL_STAGES as readonly string[]).includes(deal.stage) || deal.last_activity_at >= cutoff) {
    return { status: 'skipped', reason: 'not_stale' };
  }
  // An alert whose message could not be delivered does not count: the deal is alerted again.
  const already = await trx.selectFrom('deal_stale_alerts as sa').leftJoin('notifications as n', 'n.id', 'sa.notification_id')
    .select('sa.id').where('sa.deal_id', '=', dealId).where('sa.created_at', '>', cutoff)
    .where((eb) => eb.or([eb('n.status', 'is', null), eb('n.status', '<>', 'failed')]))
    .executeTakeFirst();
  if (already) {
    return { status: 'skipped', reason: 'already_alerted' };
  }
  const days = Math.floor((now.getTime() - deal.last_activity_at.getTime()) / DAY_MS);
  const [notificationId] = await queueMessage(trx, { user: deal.owner_id }, { kind: 'deal_stale_alert', dealId, days });
  await trx.insertInto('deal_stale_alerts').values({
    deal_id: dealId, user_id: deal.owner_id, notification_id: notificationId ?? null,
    stale_since: deal.last_activity_at, days_inactive: days, created_at: now,
  }).execute();
  await recordDealHistory(trx, { deal_id: dealId, action: 'STALE_ALERT', actor_user_id: null, details: { days }, created_at: now });
  return { userId: deal.owner_id, status: 'alerted', days };
}
