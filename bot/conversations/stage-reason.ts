import type { Context } from 'grammy';
import { LeadChangedError, ROLLBACK_REASON_MIN, TEXT_LIMIT, type Core, type Lead } from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { withUndo } from '../views/undo.view.js';
import { act, askText, type CrmConversation } from './ask-text.js';
import { replaceCard, type CardRef } from './card-question.js';

export const LOST_REASON_CONVERSATION = 'lostReason';
export const ROLLBACK_REASON_CONVERSATION = 'rollbackReason';

/** The card that started the conversation, and the version it showed. */
export type ReasonArgs = CardRef & { version: number };

/** ❌ Lost → ✍️ Other…: the reason as free text, then LOST (§3), with ↩️ Undo for 30 s on the fresh card. */
export function lostReasonConversation(core: Core) {
  return async function lostReason(conversation: CrmConversation, _ctx: Context, args: ReasonArgs): Promise<void> {
    const on = { core, ref: args };
    const reason = await askText(conversation, (t) => t.actions.lostAskText(args.leadId), { min: 1, max: TEXT_LIMIT, on });
    if (reason === null) return;
    await act(conversation, (ctx) => applyWithReason(core, ctx, args, async () => {
      const { lead, undoToken } = await core.leads.markLost(ctx.user, { leadId: args.leadId, reason: { text: reason }, expectedVersion: args.version });
      return { lead, undoToken, notice: ctx.t.actions.moved(lead.id, ctx.t.stages[lead.stage]) };
    }), on);
  };
}

/** ↩️ Roll back (§3, managers and admins): a reason of ≥ 10 characters, then one step back. */
export function rollbackReasonConversation(core: Core) {
  return async function rollbackReason(conversation: CrmConversation, _ctx: Context, args: ReasonArgs): Promise<void> {
    const on = { core, ref: args };
    const reason = await askText(conversation, (t) => t.actions.rollbackAskText(args.leadId, ROLLBACK_REASON_MIN),
      { min: ROLLBACK_REASON_MIN, max: TEXT_LIMIT, on });
    if (reason === null) return;
    await act(conversation, (ctx) => applyWithReason(core, ctx, args, async () => {
      const { lead } = await core.leads.rollback(ctx.user, { leadId: args.leadId, reason, expectedVersion: args.version });
      return { lead, undoToken: null, notice: ctx.t.actions.rolledBack(lead.id, ctx.t.stages[lead.stage]) };
    }), on);
  };
}

/**
 * Applies the change (core counts it against the user's §16 limit; a
 * refusal is shown by act()); the result replaces the card the flow started
 * on, under the user's reply (where they are looking). A lead changed
 * meanwhile gets its current card, with nothing applied.
 */
async function applyWithReason(
  core: Core, ctx: ActiveContext, args: ReasonArgs,
  change: () => Promise<{ lead: Lead; undoToken: string | null; notice: string }>,
): Promise<void> {
  let notice: string;
  let undoToken: string | null = null;
  try {
    const done = await change();
    ({ notice, undoToken } = done);
    ctx.log.info({ lead_id: done.lead.id, to: done.lead.stage }, 'lead_stage_transition');
  } catch (err) {
    if (!(err instanceof LeadChangedError)) throw err;
    notice = ctx.t.errors.LEAD_CHANGED(args.leadId);
  }
  const fresh = renderLeadCard(ctx.t, await core.leads.card(ctx.user, args.leadId), notice);
  await replaceCard(ctx, args, undoToken ? withUndo(ctx.t, fresh, undoToken) : fresh);
}
