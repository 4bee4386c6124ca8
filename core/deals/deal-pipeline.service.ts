import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { can } from '../access/access-policy.js';
import type { Db, Deal, User } from '../database.js';
import { DealChangedError, ForbiddenError, UndoExpiredError, ValidationError } from '../errors.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import type { KeyValueStore } from '../store/kv-store.js';
import { inTransaction } from '../transaction.js';
import type { Amount } from './amount.rules.js';
import type { DealStage } from './deal.constants.js';
import { checkDealTransition, durationDays } from './deal-pipeline.rules.js';
import { lockDeal, recordDealHistory } from './deal.repository.js';
import { recordWebhookEvents } from '../webhooks/webhook-event.writer.js';

export interface DealMoveRequest {
  dealId: number;
  to: DealStage;
  actor: User;
  /** The deal version the card showed; a mismatch means it is stale. */
  expectedVersion?: number;
  /** LOST: why (1–512 characters). */
  reason?: string | null;
  /** AGREEMENT: the amount (from parseAmount); it also sets the deal's currency. */
  amount?: Amount | null;
  /** Core's clock: closed_at and duration_days for PAID. */
  now: Date;
}

/** What a move did: `before` is the deal as it was (for the undo); `replayed`: the same person's double tap, nothing applied. */
export interface DealMove { deal: Deal; before: Deal; replayed: boolean }

/**
 * Moves a deal one step forward or to LOST (§9): AGREEMENT with its amount
 * (refused without one), PAID with closed_at and duration_days (whole days
 * from the deal's creation), LOST with a reason ≤ 512 characters. The row
 * is locked, so of two concurrent moves exactly one wins; with
 * expectedVersion the other gets DealChangedError — except the same
 * person's second tap of the same move (replayed: true, nothing applied
 * twice). Writes STAGE_CHANGED history, touches last_activity_at, and
 * tells the owner when someone else moved their deal (deal_changed).
 * Throws NotFoundError('deal'), ForbiddenError, DealChangedError,
 * DealTransitionError, ReasonRequiredError, ValidationError('reason'|'amount').
 */
export async function moveDeal(db: Db, req: DealMoveRequest): Promise<DealMove> {
  if (req.amount && req.to !== 'AGREEMENT') throw new ValidationError('amount', 'an amount is set with AGREEMENT only');
  const reason = req.to === 'LOST' ? req.reason?.trim() ?? null : null;
  return inTransaction(db, async (trx) => {
    const deal = await lockDeal(trx, req.dealId, { viewer: req.actor });
    if (req.expectedVersion !== undefined && deal.version !== req.expectedVersion) {
      if (await isReplay(trx, deal, req.actor, req.expectedVersion, req.to)) return { deal, before: deal, replayed: true };
      throw new DealChangedError(deal.id, deal.version);
    }
    checkDealTransition(deal, req.to, { reason, hasAmount: Boolean(req.amount) });
    const paid = req.to === 'PAID';
    const updated = await trx.updateTable('deals')
      .set({
        stage: req.to,
        ...(req.amount ? { amount_minor: req.amount.minor, currency: req.amount.currency } : {}),
        ...(req.to === 'LOST' ? { lost_reason: reason } : {}),
        ...(paid ? { closed_at: req.now, duration_days: durationDays(deal.created_at, req.now) } : {}),
        version: sql`version + 1`, last_activity_at: req.now, updated_at: sql`now()`,
      })
      .where('id', '=', deal.id).returningAll().executeTakeFirstOrThrow();
    await recordDealHistory(trx, {
      deal_id: deal.id, action: 'STAGE_CHANGED', actor_user_id: req.actor.id, from_stage: deal.stage, to_stage: req.to,
      reason, details: req.amount ? { amount_minor: req.amount.minor, currency: req.amount.currency } : null, created_at: req.now,
    });
    await noticeOwner(trx, updated, req.actor.id, { from: deal.stage, to: req.to, undone: false });
    await saleStageEvent(trx, updated, deal.stage, req.actor.id);
    return { deal: updated, before: deal, replayed: false };
  });
}

/** The deal is one change past what the card showed, and that change is this move by this person. */
async function isReplay(trx: Db, deal: Deal, actor: User, expectedVersion: number, to: DealStage): Promise<boolean> {
  if (deal.version !== expectedVersion + 1 || deal.stage !== to) return false;
  const last = await trx.selectFrom('deal_history').select(['action', 'actor_user_id', 'to_stage'])
    .where('deal_id', '=', deal.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return last?.action === 'STAGE_CHANGED' && last.actor_user_id === actor.id && last.to_stage === to;
}

/** §13: sale.stage_changed for subscribers, in the transaction of the move (the lead joins the payload). */
async function saleStageEvent(trx: Db, deal: Deal, previous: DealStage, actorId: number): Promise<void> {
  await recordWebhookEvents(trx, [{
    type: 'sale.stage_changed', leadId: deal.lead_id,
    data: { sale: { ...deal, closed_at: deal.closed_at?.toISOString() ?? null }, previous_stage: previous, stage: deal.stage, actor_user_id: actorId },
  }]);
}

/** Someone else moved the owner's deal: they are told (their own moves tell nobody). */
async function noticeOwner(
  trx: Db, deal: Deal, actorId: number, change: { from: DealStage; to: DealStage; undone: boolean },
): Promise<void> {
  if (deal.owner_id === actorId) return;
  await queueMessage(trx, { user: deal.owner_id }, { kind: 'deal_changed', dealId: deal.id, ...change, byUserId: actorId });
}

/** How long a deal move can be undone, in milliseconds (as a lead's Lost, §3). */
export const DEAL_UNDO_TTL_MS = 30_000;
const UNDO_PREFIX = 'deal-undo:';

type Restorable = Pick<Deal, 'stage' | 'amount_minor' | 'currency' | 'lost_reason' | 'duration_days'> & { closed_at: string | null };
interface DealUndoRecord { dealId: number; versionAfter: number; actorId: number; previous: Restorable }

/** Keeps what a move replaced for DEAL_UNDO_TTL_MS; returns the token (16 base64url characters, fits callback data). */
export async function rememberDealUndo(store: KeyValueStore, move: DealMove, actorId: number): Promise<string> {
  const { stage, amount_minor, currency, lost_reason, closed_at, duration_days } = move.before;
  const record: DealUndoRecord = {
    dealId: move.deal.id, versionAfter: move.deal.version, actorId,
    previous: { stage, amount_minor, currency, lost_reason, duration_days, closed_at: closed_at?.toISOString() ?? null },
  };
  const token = randomBytes(12).toString('base64url');
  await store.set(UNDO_PREFIX + token, JSON.stringify(record), DEAL_UNDO_TTL_MS);
  return token;
}

/**
 * ↩️ Undo of a deal move within 30 s (§9, as a lead's undo): only by the
 * person who moved it or an admin, only while the deal is exactly as the
 * move left it; puts back the stage, amount, currency, lost reason and
 * closing. UNDONE history; the owner is told when someone else undid it.
 * The token is spent on success. With `dealId` (the API names the deal),
 * a token of another deal is refused and stays usable. Returns the deal as it is now.
 * Throws UndoExpiredError, ForbiddenError, NotFoundError('deal'), DealChangedError, ValidationError('undo_token').
 */
export async function undoDealMove(
  db: Db, store: KeyValueStore, req: { token: string; actor: User; now: Date; dealId?: number },
): Promise<Deal> {
  const raw = await store.get(UNDO_PREFIX + req.token);
  if (raw === null) throw new UndoExpiredError();
  const record = JSON.parse(raw) as DealUndoRecord;
  if (req.dealId !== undefined && record.dealId !== req.dealId) {
    throw new ValidationError('undo_token', `this undo belongs to another deal, not #${req.dealId}`);
  }
  if (record.actorId !== req.actor.id && !can(req.actor, 'leads.undoAnyone')) {
    throw new ForbiddenError('Only the person who acted, or an admin, can undo');
  }
  const deal = await inTransaction(db, async (trx) => {
    const current = await lockDeal(trx, record.dealId, { viewer: req.actor, expectedVersion: record.versionAfter });
    const { previous } = record;
    const reverted = await trx.updateTable('deals')
      .set({ ...previous, version: sql`version + 1`, last_activity_at: req.now, updated_at: sql`now()` })
      .where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
    await recordDealHistory(trx, {
      deal_id: current.id, action: 'UNDONE', actor_user_id: req.actor.id, from_stage: current.stage, to_stage: previous.stage,
      details: { undone: 'stage' }, created_at: req.now,
    });
    await noticeOwner(trx, reverted, req.actor.id, { from: current.stage, to: previous.stage, undone: true });
    await saleStageEvent(trx, reverted, current.stage, req.actor.id);
    return reverted;
  });
  await store.delete(UNDO_PREFIX + req.token);
  return deal;
}
