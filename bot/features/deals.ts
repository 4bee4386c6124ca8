import { Composer } from 'grammy';
import {
  DealTransitionError, ForbiddenError, TERMINAL_DEAL_STAGES, UndoExpiredError,
} from '../../core/index.js';
import { int } from '../callback-data/codec.js';
import {
  dealAgreementData, dealAskStageData, dealCardData, dealConfirmStageData, dealHistoryData, dealInputCancelData,
  dealLostData, dealOpenData, dealUndoData,
} from '../callback-data/deal.js';
import type { ActiveContext } from '../context.js';
import { dealCardRefOf } from '../conversations/deal-question.js';
import { DEAL_AMOUNT_CONVERSATION, DEAL_LOST_CONVERSATION } from '../conversations/deal-stage.js';
import { dealCardFor } from '../deal-cards.js';
import type { BotDeps } from '../deps.js';
import { editTapped, sendView } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import { assertDealCardFresh, confirmTap, onCallback } from '../on-callback.js';
import { renderDealHistory } from '../views/deal-history.view.js';
import { renderDealCard, renderDealStageConfirm, withDealUndo } from '../views/deal-card.view.js';
import { HISTORY_PAGE_SIZE } from '../views/lead-history.view.js';

/**
 * The deal card (§9): /deal <id>, opening a card from a list or a notice,
 * the two-step ➡️ KYC and ✅ Paid, ➡️ Agreement and ❌ Lost asking on the
 * card (conversations/deal-stage.ts), ↩️ Undo for 30 s and 🕘 History.
 * Core re-checks rights and the deal's version on every tap.
 */
export function dealsFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('deal', async (ctx) => {
    const dealId = int.parse(ctx.match.trim().replace(/^#/, ''));
    if (!dealId) {
      await ctx.reply(ctx.t.dealList.usage, { parse_mode: 'HTML' });
      return;
    }
    await sendView(ctx.api, ctx.chat.id, renderDealCard(ctx.t, await dealCardFor(ctx, core, dealId)));
  });

  onCallback(composer, dealOpenData, core, async (ctx, data) => {
    await sendView(ctx.api, ctx.chat!.id, renderDealCard(ctx.t, await dealCardFor(ctx, core, data.dealId)));
  });

  onCallback(composer, dealCardData, core, async (ctx, data) => {
    await editTapped(ctx, renderDealCard(ctx.t, await dealCardFor(ctx, core, data.dealId)));
  });

  // ❌ under a question nobody waits for any more (timed out, or replaced by another question).
  onCallback(composer, dealInputCancelData, core, async (ctx, data) => {
    confirmTap(ctx, ctx.t.common.cancelled);
    await editTapped(ctx, renderDealCard(ctx.t, await dealCardFor(ctx, core, data.dealId)));
  });

  onCallback(composer, dealAskStageData, core, async (ctx, data) => {
    const card = await dealCardFor(ctx, core, data.dealId);
    assertDealCardFresh(card.deal, data.version);
    await editTapped(ctx, renderDealStageConfirm(ctx.t, card, data.stage, dealConfirmStageData.pack(data)));
  });

  onCallback(composer, dealConfirmStageData, core, async (ctx, data) => {
    const { deal, replayed, undoToken } = await core.deals.move(ctx.user, {
      dealId: data.dealId, to: data.stage, expectedVersion: data.version,
    });
    ctx.log.info({ deal_id: deal.id, to: deal.stage, version: deal.version, replayed }, 'deal_stage_transition');
    // A double tap: the first tap's card, with its ↩️ Undo, stays.
    if (replayed) return;
    confirmTap(ctx, ctx.t.deals.moved(deal.id, ctx.t.deals.stages[deal.stage]));
    const view = renderDealCard(ctx.t, await dealCardFor(ctx, core, deal.id));
    await editTapped(ctx, undoToken ? withDealUndo(ctx.t, view, undoToken) : view);
  });

  const askOnCard = (codec: typeof dealAgreementData, conversation: string) =>
    onCallback(composer, codec, core, async (ctx, data) => {
      const card = await dealCardFor(ctx, core, data.dealId);
      assertDealCardFresh(card.deal, data.version);
      // Refused before asking (a closed deal), so nobody types for nothing; core refuses the move again anyway.
      const to = conversation === DEAL_AMOUNT_CONVERSATION ? 'AGREEMENT' : 'LOST';
      if (!card.actions.includes(to === 'AGREEMENT' ? 'agreement' : 'lost')) {
        if ((TERMINAL_DEAL_STAGES as readonly string[]).includes(card.deal.stage)) {
          throw new DealTransitionError(card.deal.id, card.deal.stage, to, null, 'terminal');
        }
        throw new ForbiddenError(`Deal #${card.deal.id} cannot move to ${to} now`);
      }
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(conversation, dealCardRefOf(ctx, card.deal));
    });
  askOnCard(dealAgreementData, DEAL_AMOUNT_CONVERSATION);
  askOnCard(dealLostData, DEAL_LOST_CONVERSATION);

  onCallback(composer, dealUndoData, core, async (ctx, data) => {
    let deal;
    try {
      deal = await core.deals.undo(ctx.user, data.token);
    } catch (err) {
      if (err instanceof UndoExpiredError) {
        const markup = ctx.callbackQuery.message?.reply_markup;
        const rows = markup?.inline_keyboard.map((row) => row.filter((b) => !('callback_data' in b && dealUndoData.filter.test(b.callback_data))))
          .filter((row) => row.length > 0);
        if (rows) await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: rows } })
          .catch((e: unknown) => ctx.log.warn(errorFields(e), 'bot_undo_button_not_removed'));
      }
      throw err;
    }
    ctx.log.info({ deal_id: deal.id, stage: deal.stage, version: deal.version }, 'deal_move_undone');
    confirmTap(ctx, ctx.t.deals.undone(deal.id, ctx.t.deals.stages[deal.stage]));
    await editTapped(ctx, renderDealCard(ctx.t, await dealCardFor(ctx, core, deal.id)));
  });

  onCallback(composer, dealHistoryData, core, async (ctx, data) => {
    const page = Math.max(1, data.page);
    const { items, total } = await core.deals.history(ctx.user, data.dealId, {
      limit: HISTORY_PAGE_SIZE, offset: (page - 1) * HISTORY_PAGE_SIZE,
    });
    await editTapped(ctx, renderDealHistory(ctx.t, { dealId: data.dealId, page, items, total }));
  });

  return composer;
}
