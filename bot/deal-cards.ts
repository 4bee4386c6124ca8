import type { Core, DealCard } from '../core/index.js';
import { setAnswer } from './callback-answer.js';
import type { ActiveContext } from './context.js';
import { editTapped } from './lead-cards.js';
import { renderDealCard } from './views/deal-card.view.js';

/** The deal card for the user of this update (rights re-checked by core). Throws NotFoundError, ForbiddenError. */
export const dealCardFor = (ctx: ActiveContext, core: Core, dealId: number): Promise<DealCard> => core.deals.card(ctx.user, dealId);

/**
 * §9: the button was drawn for an older version of the deal. Nothing is
 * applied; the card is redrawn as it is now and the tap's answer says so.
 */
export async function showDealChanged(ctx: ActiveContext, core: Core, dealId: number): Promise<void> {
  const card = await dealCardFor(ctx, core, dealId);
  ctx.log.info({ deal_id: dealId, version: card.deal.version }, 'bot_deal_changed_meanwhile');
  const notice = ctx.t.errors.DEAL_CHANGED(dealId);
  const toasted = setAnswer(ctx, notice, { alert: false });
  await editTapped(ctx, renderDealCard(ctx.t, card, toasted ? undefined : notice));
}
