import { Composer } from 'grammy';
import { leadLostData, leadLostOtherData, leadLostReasonData, leadRollbackData } from '../callback-data/lead.js';
import { noteAddData } from '../callback-data/lead-note.js';
import type { ActiveContext } from '../context.js';
import { cardRefOf } from '../conversations/card-question.js';
import { NOTE_CONVERSATION } from '../conversations/lead-note.js';
import {
  LOST_REASON_CONVERSATION, ROLLBACK_REASON_CONVERSATION, type ReasonArgs,
} from '../conversations/stage-reason.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { assertCardFresh, confirmTap, onCallback } from '../on-callback.js';
import { renderLeadCard, renderLostReasons } from '../views/lead-card.view.js';
import { withUndo } from '../views/undo.view.js';

/**
 * Card actions that need more than a tap (§3, §5): ❌ Lost with a preset or
 * typed reason, ↩️ Roll back with a reason, 📝 Note. Typed input runs in a
 * conversation; a new one replaces whatever the user left unfinished.
 */
export function leadActionsFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadLostData, core, async (ctx, data) => {
    const card = await cardFor(ctx, core, data.leadId);
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderLostReasons(ctx.t, card));
  });

  onCallback(composer, leadLostReasonData, core, async (ctx, data) => {
    const { lead, undoToken, replayed } = await core.leads.markLost(ctx.user, {
      leadId: data.leadId, reason: { code: data.reason }, expectedVersion: data.version,
    });
    ctx.log.info({ lead_id: lead.id, to: lead.stage, reason: data.reason, replayed }, 'lead_stage_transition');
    // A double tap: the first one's card, with its ↩️ Undo, stays.
    if (replayed) return;
    confirmTap(ctx, ctx.t.actions.moved(lead.id, ctx.t.stages[lead.stage]));
    const card = renderLeadCard(ctx.t, await cardFor(ctx, core, lead.id));
    await editTapped(ctx, withUndo(ctx.t, card, undoToken));
  });

  const reasonEntry = (codec: typeof leadLostOtherData, conversation: string) =>
    onCallback(composer, codec, core, async (ctx, data) => {
      const { lead } = await cardFor(ctx, core, data.leadId);
      assertCardFresh(lead, data.version);
      const args: ReasonArgs = { ...cardRefOf(ctx, lead.id), version: lead.version };
      await enter(ctx, conversation, args);
    });
  reasonEntry(leadLostOtherData, LOST_REASON_CONVERSATION);
  reasonEntry(leadRollbackData, ROLLBACK_REASON_CONVERSATION);

  onCallback(composer, noteAddData, core, async (ctx, data) => {
    await cardFor(ctx, core, data.leadId);
    await enter(ctx, NOTE_CONVERSATION, cardRefOf(ctx, data.leadId));
  });

  return composer;
}

async function enter(ctx: ActiveContext, conversation: string, ...args: unknown[]): Promise<void> {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(conversation, ...args);
}
