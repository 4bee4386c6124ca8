import { assertActive, can } from '../access/access-policy.js';
import type { Db, User } from '../database.js';
import { ValidationError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../leads/lead.repository.js';
import { DEAL_STAGES, OPEN_DEAL_STAGES, type DealStage } from './deal.constants.js';
import { dealStageTotals, listDealRows, type DealScope, type ListedDeal, type StageTotal } from './deal.repository.js';

export interface DealListQuery {
  /** Older deals than the page that gave this cursor (§6 keyset, opaque). */
  cursor?: string | null;
  /** Newer deals than the page that gave this prevCursor (back one page). */
  before?: string | null;
  /** 1–50, default 10. */
  limit?: number;
  /** Only this stage; default every open stage (NEW, KYC, AGREEMENT). */
  stage?: DealStage | null;
  /** Managers and admins: only their own deals (default: everyone's). Agents always see only theirs. */
  mine?: boolean;
}

/** A /deals page (§6 shape plus a way back) and the totals of every deal in the same scope, by stage and currency. */
export interface DealList {
  items: ListedDeal[];
  nextCursor: string | null;
  hasNext: boolean;
  prevCursor: string | null;
  hasPrev: boolean;
  limit: number;
  totals: StageTotal[];
}

/**
 * /deals (§9): the viewer's deals (managers and admins: everyone's unless
 * `mine`), newest first, in keyset pages by id, filtered by stage (default:
 * open ones), with the count and total amount per stage and currency over
 * the whole filtered set — not just the page. Throws ForbiddenError
 * (inactive), ValidationError('cursor'|'stage').
 */
export async function listDealsForUser(db: Db, viewer: User, q: DealListQuery = {}): Promise<DealList> {
  assertActive(viewer);
  if (q.stage && !DEAL_STAGES.includes(q.stage)) throw new ValidationError('stage', `one of ${DEAL_STAGES.join(', ')}`);
  const scope: DealScope = {
    ownerId: can(viewer, 'deals.all') && !q.mine ? null : viewer.id,
    stages: q.stage ? [q.stage] : OPEN_DEAL_STAGES,
  };
  const limit = Math.min(Math.max(q.limit ?? 10, 1), 50);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const before = !after && q.before ? decodeCursor(q.before) : null;
  const [rows, totals] = await Promise.all([
    listDealRows(db, scope, { after, before, limit }),
    dealStageTotals(db, scope),
  ]);
  const more = rows.length > limit;
  // Going back, rows come oldest first from just above `before`: the page is the nearest `limit`, newest first.
  const items = before !== null ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
  const hasNext = before !== null ? items.length > 0 : more;
  const hasPrev = before !== null ? more : after !== null && items.length > 0;
  return {
    items, limit, totals, hasNext, hasPrev,
    nextCursor: hasNext ? encodeCursor(items.at(-1)!.id) : null,
    prevCursor: hasPrev ? encodeCursor(items[0]!.id) : null,
  };
}
