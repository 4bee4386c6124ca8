import { Composer } from 'grammy';
import { int } from '../callback-data/codec.js';
import {
  leadAskStageData, leadCardData, leadConfirmStageData, leadInputCancelData, leadOpenData,
} from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped, sendView } from '../lead-cards.js';
import { assertCardFresh, confirmTap, onCallback } from '../on-callback.js';
import { renderLeadCard, renderStageConfirm } from '../views/lead-card.view.js';
import { boardUrl, withBoardButton } from '../web-app.js';

/**
 * The lead card (§1, §3): /lead <id>, opening a card from a list or a
 * notification, and the two-step stage buttons (ask → ✅ confirm / ❌ cancel).
 * Every tap answers the callback query first, re-checks rights through core,
 * then edits the card in place.
 */
export function leadCardFeature({ core, config }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();
  const board = boardUrl(config);

  composer.command('lead', async (ctx) => {
    const leadId = int.parse(ctx.match.trim().replace(/^#/, ''));
    if (!leadId) {
      await ctx.reply(ctx.t.leads.usage, { parse_mode: 'HTML' });
      return;
    }
    // A card asked for by number also offers 🗂 Board, to see it among the others (§14).
    await sendView(ctx.api, ctx.chat.id, withBoardButton(ctx.t, renderLeadCard(ctx.t, await cardFor(ctx, core, leadId)), board));
  });

  onCallback(composer, leadOpenData, core, async (ctx, data) => {
    await sendView(ctx.api, ctx.chat!.id, renderLeadCard(ctx.t, await cardFor(ctx, core, data.leadId)));
  });

  // ❌ on a confirmation, ↩️ Back, 📇 Card: the card as it is now.
  onCallback(composer, leadCardData, core, async (ctx, data) => {
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, data.leadId)));
  });

  // ❌ under a question nobody is waiting for any more (it timed out, or another question replaced it).
  onCallback(composer, leadInputCancelData, core, async (ctx, data) => {
    confirmTap(ctx, ctx.t.common.cancelled);
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, data.leadId)));
  });

  onCallback(composer, leadAskStageData, core, async (ctx, data) => {
    const card = await cardFor(ctx, core, data.leadId);
    // Asking to confirm a move on a card that is already stale would confirm the wrong thing.
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderStageConfirm(ctx.t, card, data.stage, leadConfirmStageData.pack(data)));
  });

  onCallback(composer, leadConfirmStageData, core, async (ctx, data) => {
    // A stale card fails the version check and nothing is applied; the same
    // person's second tap of this very move is a replay that changes nothing.
    const { lead, replayed } = await core.leads.transition(ctx.user, {
      leadId: data.leadId, to: data.stage, expectedVersion: data.version,
    });
    ctx.log.info({ lead_id: lead.id, to: lead.stage, version: lead.version, replayed }, 'lead_stage_transition');
    // The first tap already drew its result on this message; leave it there.
    if (replayed) return;
    confirmTap(ctx, ctx.t.actions.moved(lead.id, ctx.t.stages[lead.stage]));
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, lead.id)));
  });

  return composer;
}
