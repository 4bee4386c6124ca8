import { Composer } from 'grammy';
import { getLeadForUser } from '../../core/leads/lead.repository.js';
import {
  leadLostData, leadLostOtherData, leadLostReasonData, leadNoteData, leadRollbackData,
} from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import { NOTE_CONVERSATION } from '../conversations/note.js';
import {
  LOST_REASON_CONVERSATION, ROLLBACK_REASON_CONVERSATION, type ReasonArgs,
} from '../conversations/stage-reason.js';
import type { FeatureDeps } from '../deps.js';
import { cardDataFor, editTapped, loadCardData } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
import { LOST_REASONS } from '../lost-reasons.js';
import { markLostWithUndo } from '../lost-with-undo.js';
import { renderLeadCard, renderLostReasons } from '../views/lead-card.view.js';
import { withUndo } from '../views/undo.view.js';

/**
 * Card actions that need more than a tap (§3, §5): ❌ Lost with a preset or
 * typed reason, ↩️ Roll back with a reason, 📝 Note. Typed input runs in a
 * conversation; a new one replaces whatever the user left unfinished.
 */
export function leadActionsFeature({ db, store, limiter }: FeatureDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadLostData, db, async (ctx, data) => {
    const card = await loadCardData(db, data.leadId, ctx.user);
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderLostReasons(ctx.t, card));
  });

  onCallback(composer, leadLostReasonData, db, async (ctx, data) => {
    await limiter.consume(ctx.user.id, 'stage_transition');
    const { lead, undoToken } = await markLostWithUndo(db, store, {
      leadId: data.leadId, actor: ctx.user, reason: LOST_REASONS[data.reason], expectedVersion: data.version,
    });
    ctx.log.info({ lead_id: lead.id, to: lead.stage, reason: data.reason }, 'lead_stage_transition');
    const notice = ctx.t.actions.moved(lead.id, ctx.t.stages[lead.stage]);
    const card = renderLeadCard(ctx.t, await cardDataFor(db, lead, ctx.user), notice);
    await editTapped(ctx, withUndo(ctx.t, card, undoToken));
  });

  const reasonEntry = (codec: typeof leadLostOtherData, conversation: string) =>
    onCallback(composer, codec, db, async (ctx, data) => {
      const lead = await getLeadForUser(db, data.leadId, ctx.user);
      assertCardFresh(lead, data.version);
      const message = ctx.callbackQuery.message;
      const args: ReasonArgs = {
        leadId: lead.id, version: lead.version, chatId: ctx.chat!.id, messageId: message?.message_id ?? 0,
      };
      await enter(ctx, conversation, args);
    });
  reasonEntry(leadLostOtherData, LOST_REASON_CONVERSATION);
  reasonEntry(leadRollbackData, ROLLBACK_REASON_CONVERSATION);

  onCallback(composer, leadNoteData, db, async (ctx, data) => {
    await getLeadForUser(db, data.leadId, ctx.user);
    await enter(ctx, NOTE_CONVERSATION, data.leadId);
  });

  return composer;
}

async function enter(ctx: ActiveContext, conversation: string, ...args: unknown[]): Promise<void> {
  await ctx.conversation.exitAll();
  await ctx.conversation.enter(conversation, ...args);
}
