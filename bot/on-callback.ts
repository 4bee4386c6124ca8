import type { CallbackQueryContext, Composer } from 'grammy';
import { DealChangedError, ForbiddenError, LeadChangedError, type Core, type Lead } from '../core/index.js';
import { answeringWhenDone, setAnswer } from './callback-answer.js';
import type { ActiveContext } from './context.js';
import { showDealChanged } from './deal-cards.js';
import { showLeadChanged } from './lead-cards.js';

/**
 * Registers a button handler the way every button works here: data that
 * does not decode (forged, or from an older bot) gets "outdated button";
 * the answer to the tap carries the handler's words (setAnswer: "Saved",
 * or a refusal, which the error edge turns into a toast or an alert); and a
 * LeadChangedError from anywhere in the handler — a double tap, or a lead
 * changed elsewhere — redraws the card as it is now and says so in a toast
 * instead of acting (a DealChangedError does the same with the deal card). Undecodable data and refused actions are logged as
 * warnings (§16).
 */
export function onCallback<T>(
  composer: Composer<ActiveContext>,
  codec: { filter: RegExp; unpack(data: string | undefined): T | null },
  core: Core,
  handler: (ctx: CallbackQueryContext<ActiveContext>, data: T) => Promise<unknown>,
): void {
  composer.callbackQuery(codec.filter, async (ctx) => {
    const data = codec.unpack(ctx.callbackQuery.data);
    if (!data) {
      ctx.log.warn({ user_id: ctx.user.id, callback_data: ctx.callbackQuery.data }, 'bot_callback_undecodable');
      return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    }
    await answeringWhenDone(ctx, async () => {
      try {
        await handler(ctx, data);
      } catch (err) {
        if (err instanceof ForbiddenError) {
          // Buttons are only drawn for what the user may do: this is forged, replayed or out of date.
          ctx.log.warn({ user_id: ctx.user.id, callback_data: ctx.callbackQuery.data, reason: err.message }, 'bot_action_forbidden');
        }
        // Refusals go to the error edge, which answers the tap with them.
        if (err instanceof DealChangedError) return showDealChanged(ctx, core, err.dealId);
        if (!(err instanceof LeadChangedError)) throw err;
        await showLeadChanged(ctx, core, err.leadId);
      }
    });
  });
}

/** A tap's small confirmation ("Saved", "Moved to CONTACTED"), shown as a toast. */
export const confirmTap = (ctx: ActiveContext, html: string): void => void setAnswer(ctx, html, { alert: false });

/** A button drawn for an older version of the deal must not act (§9). Throws DealChangedError. */
export function assertDealCardFresh(deal: { id: number; version: number }, version: number): void {
  if (deal.version !== version) throw new DealChangedError(deal.id, deal.version);
}

/** A button drawn for an older version of the lead must not act (§3). Throws LeadChangedError. */
export function assertCardFresh(lead: Pick<Lead, 'id' | 'version'>, version: number): void {
  if (lead.version !== version) throw new LeadChangedError(lead.id, lead.version);
}
