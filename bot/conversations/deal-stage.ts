import type { Context } from 'grammy';
import { DEAL_LOST_REASON_MAX, DealChangedError, InvalidAmountError, type Amount, type Core } from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import { errorText } from '../texts/errors.js';
import { renderDealCard, withDealUndo } from '../views/deal-card.view.js';
import { say, type CrmConversation } from './ask-text.js';
import { actOnDeal, askOnDealCard, replaceDealCard, waitDealText, type DealCardRef } from './deal-question.js';

export const DEAL_AMOUNT_CONVERSATION = 'dealAmount';
export const DEAL_LOST_CONVERSATION = 'dealLost';

/** Longest amount text read (a number, spaces and a currency word). */
const AMOUNT_TEXT_MAX = 64;

/**
 * ➡️ Agreement (§9): the amount typed in chat, read exactly by core (in the
 * deal's currency unless the text names one); a bad amount is explained and
 * asked again; then the deal moves to AGREEMENT with it, ↩️ Undo for 30 s.
 */
export function dealAmountConversation(core: Core) {
  return async function dealAmount(conversation: CrmConversation, _ctx: Context, ref: DealCardRef): Promise<void> {
    await askOnDealCard(conversation, core, ref, (t) => t.deals.askAmount(ref.dealId));
    for (;;) {
      const text = await waitDealText(conversation, core, ref, { min: 1, max: AMOUNT_TEXT_MAX });
      if (text === null) return;
      const read = await conversation.external(async (ctx): Promise<{ amount: Amount } | { problem: string }> => {
        try {
          return { amount: await core.deals.readAmount(ctx.user, ref.dealId, text) };
        } catch (err) {
          if (!(err instanceof InvalidAmountError)) throw err;
          return { problem: errorText(ctx.t, err)! };
        }
      });
      if ('problem' in read) {
        await say(conversation, (t) => t.deals.amountAgain(read.problem));
        continue;
      }
      await actOnDeal(conversation, core, ref, (ctx) => applyMove(core, ctx, ref, { to: 'AGREEMENT', amount: read.amount }));
      return;
    }
  };
}

/** ❌ Lost (§9): why, in up to 512 characters; then LOST, ↩️ Undo for 30 s. */
export function dealLostConversation(core: Core) {
  return async function dealLost(conversation: CrmConversation, _ctx: Context, ref: DealCardRef): Promise<void> {
    await askOnDealCard(conversation, core, ref, (t) => t.deals.askLostReason(ref.dealId, DEAL_LOST_REASON_MAX));
    const reason = await waitDealText(conversation, core, ref, { min: 1, max: DEAL_LOST_REASON_MAX });
    if (reason === null) return;
    await actOnDeal(conversation, core, ref, (ctx) => applyMove(core, ctx, ref, { to: 'LOST', reason }));
  };
}

/**
 * The move, then the fresh card (with the result on top and ↩️ Undo) under
 * the user's answer. A deal changed meanwhile gets its current card, with
 * nothing applied.
 */
async function applyMove(
  core: Core, ctx: ActiveContext, ref: DealCardRef,
  move: { to: 'AGREEMENT'; amount: Amount } | { to: 'LOST'; reason: string },
): Promise<void> {
  let notice: string;
  let undoToken: string | null = null;
  try {
    const done = await core.deals.move(ctx.user, { dealId: ref.dealId, expectedVersion: ref.version, ...move });
    undoToken = done.undoToken;
    notice = ctx.t.deals.moved(done.deal.id, ctx.t.deals.stages[done.deal.stage]);
    ctx.log.info({ deal_id: done.deal.id, to: done.deal.stage, replayed: done.replayed }, 'deal_stage_transition');
  } catch (err) {
    if (!(err instanceof DealChangedError)) throw err;
    notice = ctx.t.errors.DEAL_CHANGED(ref.dealId);
  }
  const fresh = renderDealCard(ctx.t, await core.deals.card(ctx.user, ref.dealId), notice);
  await replaceDealCard(ctx, ref, undoToken ? withDealUndo(ctx.t, fresh, undoToken) : fresh);
}
