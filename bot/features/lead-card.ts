import { Composer } from 'grammy';
import { transitionStage } from '../../core/leads/lead.pipeline.js';
import { int } from '../callback-data/codec.js';
import {
  leadAskStageData, leadCardData, leadConfirmStageData, leadOpenData,
} from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { FeatureDeps } from '../deps.js';
import { cardDataFor, editTapped, loadCardData, sendView } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
import { renderLeadCard, renderStageConfirm } from '../views/lead-card.view.js';

/**
 * The lead card (§1, §3): /lead <id>, opening a card from a list or a
 * notification, and the two-step stage buttons (ask → ✅ confirm / ❌ cancel).
 * Every tap answers the callback query first, re-checks rights through core,
 * then edits the card in place.
 */
export function leadCardFeature({ db, limiter }: FeatureDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('lead', async (ctx) => {
    const leadId = int.parse(ctx.match.trim().replace(/^#/, ''));
    if (!leadId) {
      await ctx.reply(ctx.t.leads.usage, { parse_mode: 'HTML' });
      return;
    }
    await sendView(ctx.api, ctx.chat.id, renderLeadCard(ctx.t, await loadCardData(db, leadId, ctx.user)));
  });

  onCallback(composer, leadOpenData, db, async (ctx, data) => {
    await sendView(ctx.api, ctx.chat!.id, renderLeadCard(ctx.t, await loadCardData(db, data.leadId, ctx.user)));
  });

  // ❌ on a confirmation, ↩️ Back, 📇 Card: the card as it is now.
  onCallback(composer, leadCardData, db, async (ctx, data) => {
    await editTapped(ctx, renderLeadCard(ctx.t, await loadCardData(db, data.leadId, ctx.user)));
  });

  onCallback(composer, leadAskStageData, db, async (ctx, data) => {
    const card = await loadCardData(db, data.leadId, ctx.user);
    // Asking to confirm a move on a card that is already stale would confirm the wrong thing.
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderStageConfirm(ctx.t, card, data.stage, leadConfirmStageData.pack(data)));
  });

  onCallback(composer, leadConfirmStageData, db, async (ctx, data) => {
    await limiter.consume(ctx.user.id, 'stage_transition');
    // A double tap or someone else's change fails the version check: nothing is applied.
    const lead = await transitionStage(db, {
      leadId: data.leadId, to: data.stage, actor: ctx.user, expectedVersion: data.version,
    });
    ctx.log.info({ lead_id: lead.id, to: lead.stage, version: lead.version }, 'lead_stage_transition');
    const notice = ctx.t.actions.moved(lead.id, ctx.t.stages[lead.stage]);
    await editTapped(ctx, renderLeadCard(ctx.t, await cardDataFor(db, lead, ctx.user), notice));
  });

  return composer;
}
