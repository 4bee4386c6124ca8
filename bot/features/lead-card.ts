import { Composer } from 'grammy';
import { LeadChangedError } from '../../core/errors.js';
import { transitionStage } from '../../core/leads/lead.pipeline.js';
import { int } from '../callback-data/codec.js';
import {
  leadAskStageData, leadCardData, leadConfirmStageData, leadOpenData,
} from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardDataFor, editTapped, loadCardData, sendView, showLeadChanged } from '../lead-cards.js';
import { renderLeadCard, renderStageConfirm } from '../views/lead-card.view.js';

/**
 * The lead card (§1, §3): /lead <id>, opening a card from a list or a
 * notification, and the two-step stage buttons (ask → ✅ confirm / ❌ cancel).
 * Every tap answers the callback query first, re-checks rights through core,
 * then edits the card in place.
 */
export function leadCardFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('lead', async (ctx) => {
    const leadId = int.parse(ctx.match.trim().replace(/^#/, ''));
    if (!leadId) {
      await ctx.reply(ctx.t.leads.usage, { parse_mode: 'HTML' });
      return;
    }
    await sendView(ctx.api, ctx.chat.id, renderLeadCard(ctx.t, await loadCardData(db, leadId, ctx.user)));
  });

  composer.callbackQuery(leadOpenData.filter, async (ctx) => {
    const data = leadOpenData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    await sendView(ctx.api, ctx.chat!.id, renderLeadCard(ctx.t, await loadCardData(db, data.leadId, ctx.user)));
  });

  // ❌ on a confirmation, ↩️ Back, 📇 Card: the card as it is now.
  composer.callbackQuery(leadCardData.filter, async (ctx) => {
    const data = leadCardData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    await editTapped(ctx, renderLeadCard(ctx.t, await loadCardData(db, data.leadId, ctx.user)));
  });

  composer.callbackQuery(leadAskStageData.filter, async (ctx) => {
    const data = leadAskStageData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    const card = await loadCardData(db, data.leadId, ctx.user);
    // Asking to confirm a move on a card that is already stale would confirm the wrong thing.
    if (card.lead.version !== data.version) return showLeadChanged(ctx, db, data.leadId);
    await editTapped(ctx, renderStageConfirm(ctx.t, card, data.stage, leadConfirmStageData.pack(data)));
  });

  composer.callbackQuery(leadConfirmStageData.filter, async (ctx) => {
    const data = leadConfirmStageData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    let lead;
    try {
      lead = await transitionStage(db, {
        leadId: data.leadId, to: data.stage, actor: ctx.user, expectedVersion: data.version,
      });
    } catch (err) {
      // A double tap or someone else's change: the version no longer matches, nothing was applied.
      if (err instanceof LeadChangedError) return showLeadChanged(ctx, db, data.leadId);
      throw err;
    }
    ctx.log.info({ lead_id: lead.id, to: lead.stage, version: lead.version }, 'lead_stage_transition');
    const notice = ctx.t.actions.moved(lead.id, ctx.t.stages[lead.stage]);
    await editTapped(ctx, renderLeadCard(ctx.t, await cardDataFor(db, lead, ctx.user), notice));
  });

  return composer;
}
