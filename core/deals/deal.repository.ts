import { sql, type Insertable } from 'kysely';
import { assertCanViewDeal } from '../access/access-policy.js';
import type { Db, Deal, DealHistory, DealHistoryTable, NewDeal, User } from '../database.js';
import { DealChangedError, NotFoundError } from '../errors.js';
import type { DealStage } from './deal.constants.js';

/** SQL of the sales side (§8, §9), and nothing else: rules and rights are the services'. */

export async function insertDeal(db: Db, deal: NewDeal): Promise<Deal> {
  return db.insertInto('deals').values(deal).returningAll().executeTakeFirstOrThrow();
}

/** The deal, or NotFoundError('deal'). */
export async function getDeal(db: Db, dealId: number): Promise<Deal> {
  const deal = await db.selectFrom('deals').selectAll().where('id', '=', dealId).executeTakeFirst();
  if (!deal) throw new NotFoundError('deal', dealId);
  return deal;
}

/** The deal made from a lead, if any. */
export async function findDealOfLead(db: Db, leadId: number): Promise<Deal | null> {
  return (await db.selectFrom('deals').selectAll().where('lead_id', '=', leadId).executeTakeFirst()) ?? null;
}

/**
 * Locks a deal's row for the caller's transaction (FOR UPDATE), checks the
 * viewer's right first (someone who may not see it learns nothing), then
 * the version the caller's card showed.
 * Throws NotFoundError('deal'), ForbiddenError, DealChangedError.
 */
export async function lockDeal(db: Db, dealId: number, p: { viewer?: User; expectedVersion?: number } = {}): Promise<Deal> {
  const deal = await db.selectFrom('deals').selectAll().where('id', '=', dealId).forUpdate().executeTakeFirst();
  if (!deal) throw new NotFoundError('deal', dealId);
  if (p.viewer) assertCanViewDeal(p.viewer, deal);
  if (p.expectedVersion !== undefined && deal.version !== p.expectedVersion) throw new DealChangedError(deal.id, deal.version);
  return deal;
}

export type DealHistoryEntry = Omit<Insertable<DealHistoryTable>, 'details'> & { details?: Record<string, unknown> | null };

/** Appends one row to a deal's history. */
export async function recordDealHistory(db: Db, entry: DealHistoryEntry): Promise<void> {
  await db.insertInto('deal_history').values({ ...entry, details: entry.details ? JSON.stringify(entry.details) : null }).execute();
}

export type DealHistoryWithActor = DealHistory & { actor_name: string | null };

/** A page of a deal's history, newest first, in SQL; limit 1–100; total: all rows. */
export async function listDealHistory(
  db: Db, dealId: number, page: { limit: number; offset: number },
): Promise<{ items: DealHistoryWithActor[]; total: number }> {
  const [items, count] = await Promise.all([
    db.selectFrom('deal_history as h').leftJoin('users as u', 'u.id', 'h.actor_user_id')
      .selectAll('h').select('u.full_name as actor_name')
      .where('h.deal_id', '=', dealId)
      .orderBy('h.created_at', 'desc').orderBy('h.id', 'desc')
      .limit(Math.min(Math.max(page.limit, 1), 100)).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('deal_history').select((eb) => eb.fn.countAll<number>().as('n')).where('deal_id', '=', dealId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/** A deal on a list: with its lead's name and company and its owner's name. */
export type ListedDeal = Deal & { lead_name: string | null; lead_company: string | null; owner_name: string };

export interface DealScope {
  /** Only this owner's deals; null: everyone's. */
  ownerId: number | null;
  stages: readonly DealStage[];
}

/**
 * One keyset page of deals, by id: `after` (older than this id, newest
 * first) or `before` (newer than this id, returned newest first too).
 * Returns limit + 1 rows at most, so the caller can tell if there is more.
 */
export async function listDealRows(
  db: Db, scope: DealScope, p: { after: number | null; before: number | null; limit: number },
): Promise<ListedDeal[]> {
  const backwards = p.before !== null;
  const rows = await db.selectFrom('deals as d')
    .innerJoin('leads as l', 'l.id', 'd.lead_id')
    .innerJoin('users as o', 'o.id', 'd.owner_id')
    .selectAll('d')
    .select(['l.full_name as lead_name', 'l.company as lead_company', 'o.full_name as owner_name'])
    .where('d.stage', 'in', scope.stages)
    .$if(scope.ownerId !== null, (qb) => qb.where('d.owner_id', '=', scope.ownerId!))
    .$if(p.after !== null, (qb) => qb.where('d.id', '<', p.after!))
    .$if(backwards, (qb) => qb.where('d.id', '>', p.before!))
    .orderBy('d.id', backwards ? 'asc' : 'desc')
    .limit(p.limit + 1).execute();
  return rows;
}

/** Per stage and currency: how many deals, and their amounts' sum in minor units (a decimal string: sums may pass 2^53). */
export interface StageTotal { stage: DealStage; currency: string; count: number; amountMinor: string }

/** The totals of every deal in scope, one grouped query. Deals without an amount count, adding 0. */
export async function dealStageTotals(db: Db, scope: DealScope): Promise<StageTotal[]> {
  const rows = await db.selectFrom('deals')
    .select(['stage', 'currency'])
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      sql<string>`coalesce(sum(amount_minor), 0)::text`.as('amount_minor'),
    ])
    .where('stage', 'in', scope.stages)
    .$if(scope.ownerId !== null, (qb) => qb.where('owner_id', '=', scope.ownerId!))
    .groupBy(['stage', 'currency'])
    .orderBy('stage').orderBy('currency')
    .execute();
  return rows.map((r) => ({ stage: r.stage, currency: r.currency, count: Number(r.n), amountMinor: r.amount_minor }));
}
