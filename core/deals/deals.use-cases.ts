import { assertCan } from '../access/access-policy.js';
import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { TransferError } from '../errors.js';
import { getLeadForUser } from '../leads/lead.repository.js';
import { listAssignableUsers } from '../leads/reassign.service.js';
import { withQuota } from '../security/rate-limit.js';
import { parseAmount, type Amount } from './amount.rules.js';
import type { DealStage } from './deal.constants.js';
import { getDealCard, getSalesChatCard } from './deal-card.query.js';
import { listDealsForUser, type DealListQuery } from './deal-list.service.js';
import { moveDeal, rememberDealUndo, undoDealMove } from './deal-pipeline.service.js';
import { findDealOfLead, getDeal, listDealHistory } from './deal.repository.js';
import { assertTransferable, transferLead } from './transfer.service.js';
import { raiseStaleDealAlerts } from './stale-deals.service.js';
import { assertCanViewDeal } from '../access/access-policy.js';

/**
 * The sales side (§8, §9) as every edge calls it — the bot today, the JSON
 * API and the Mini App next: each takes the viewer first; rights, the §8
 * gates, the §9 stage rules, the §16 quota and the undo window live in the
 * services below, and transfers are counted here (crm_transfers_total)
 * whichever edge asked.
 */
export function dealUseCases(ctx: CoreContext) {
  const { db, store, limiter, config, metrics } = ctx;
  /** Counts a transfer attempt: success, or failed with its first refused condition. */
  const counted = async <T>(fn: () => Promise<T>, countSuccess = true): Promise<T> => {
    try {
      const result = await fn();
      if (countSuccess) metrics.transfers?.inc({ result: 'success' });
      return result;
    } catch (err) {
      if (err instanceof TransferError) metrics.transfers?.inc({ result: 'failed', reason: err.refusals[0] });
      throw err;
    }
  };

  return {
    /**
     * 💼 before anything is chosen: whether the viewer's lead passes the §8
     * gates now (a refusal is counted as a failed transfer). Returns the lead.
     * Throws NotFoundError, ForbiddenError, TransferError.
     */
    checkTransfer: (viewer: User, leadId: number) => counted(async () => {
      const lead = await getLeadForUser(db, leadId, viewer);
      assertTransferable(lead);
      return lead;
    }, false),

    /**
     * 💼 Transfer to sales (§8): one transaction makes the deal (owner: the
     * lead's assignee, or `ownerId` chosen by a manager), moves the lead to
     * TRANSFERRED and queues the owner's and the sales chat's cards.
     * Returns { deal, lead }. Throws as transferLead.
     */
    transfer: (viewer: User, p: { leadId: number; expectedVersion: number; ownerId?: number | null }) => counted(() =>
      transferLead(db, {
        ...p, actor: viewer, currency: config.DEFAULT_CURRENCY, salesChatId: config.SALES_CHAT_ID ?? null, now: ctx.now(),
      })),

    /** Who a manager may give a new deal to: active agents and managers, with their lead load. Throws ForbiddenError. */
    ownerCandidates: async (viewer: User) => {
      assertCan(viewer, 'deals.assign');
      return listAssignableUsers(db);
    },

    /** The deal card (deal-card.query.ts). Throws NotFoundError('deal'), ForbiddenError. */
    card: (viewer: User, dealId: number) => getDealCard(db, viewer, dealId),
    /** The deal made from a lead, if the viewer may see it; null when there is none (or it is not theirs). */
    dealIdOfLead: async (viewer: User, leadId: number): Promise<number | null> => {
      const deal = await findDealOfLead(db, leadId);
      if (!deal) return null;
      try {
        assertCanViewDeal(viewer, deal);
        return deal.id;
      } catch {
        return null;
      }
    },
    /** The sales chat's card of a deal (§8), in the team's language and zone (no viewer, no buttons). */
    salesChatCard: async (dealId: number) => ({
      card: await getSalesChatCard(db, dealId), language: config.DEFAULT_LANGUAGE, timeZone: config.TEAM_TIMEZONE,
    }),

    /**
     * Reads an amount typed for the deal (§9), in the deal's currency unless
     * it names one. Nothing is saved. Throws InvalidAmountError, NotFoundError, ForbiddenError.
     */
    readAmount: async (viewer: User, dealId: number, text: string): Promise<Amount> => {
      const deal = await getDeal(db, dealId);
      assertCanViewDeal(viewer, deal);
      return parseAmount(text, deal.currency);
    },

    /**
     * A stage move (§9) as one stage_transition of the viewer (§16),
     * undoable for 30 s: returns the deal and the undo token (null for a
     * double tap, which changed nothing). Throws as moveDeal, RateLimitedError.
     */
    move: async (viewer: User, p: {
      dealId: number; to: DealStage; expectedVersion: number; reason?: string | null; amount?: Amount | null;
    }) => {
      const move = await withQuota(limiter, viewer.id, 'stage_transition', async () => {
        const done = await moveDeal(db, { ...p, actor: viewer, now: ctx.now() });
        if (done.replayed) await limiter.refund(viewer.id, 'stage_transition');
        return done;
      });
      const undoToken = move.replayed ? null : await rememberDealUndo(store, move, viewer.id);
      return { deal: move.deal, replayed: move.replayed, undoToken };
    },

    /** ↩️ Undo a deal move within 30 s; `dealId`: the deal the caller means (the API). Throws as undoDealMove. */
    undo: (viewer: User, token: string, dealId?: number) =>
      undoDealMove(db, store, { token, actor: viewer, now: ctx.now(), ...(dealId !== undefined ? { dealId } : {}) }),

    /** /deals (§9). See listDealsForUser. */
    list: (viewer: User, q: DealListQuery = {}) => listDealsForUser(db, viewer, q),

    /** 🕘 A page of the deal's history with actors' names. Throws NotFoundError('deal'), ForbiddenError. */
    history: async (viewer: User, dealId: number, page: { limit: number; offset: number }) => {
      assertCanViewDeal(viewer, await getDeal(db, dealId));
      return listDealHistory(db, dealId, page);
    },

    /** One run of the stale-deal alerts (§9, §10), on the run's clock. See raiseStaleDealAlerts. */
    raiseStaleAlerts: (now: Date = ctx.now()) => raiseStaleDealAlerts(db, {
      staleAfterDays: config.DEAL_STALE_AFTER_DAYS, maxAlerts: config.STALE_MAX_ALERTS_PER_RUN, now,
    }),
  };
}
