import type { Context } from 'grammy';
import type { Db, Lead } from '../../core/database.js';
import { LeadChangedError } from '../../core/errors.js';
import { ROLLBACK_REASON_MIN, TEXT_LIMIT } from '../../core/leads/lead.constants.js';
import { rollbackStage } from '../../core/leads/lead.pipeline.js';
import type { RateLimiter } from '../../core/security/rate-limit.js';
import type { KeyValueStore } from '../../core/store/kv-store.js';
import type { ActiveContext } from '../context.js';
import { cardDataFor, editView, loadCardData, sendView } from '../lead-cards.js';
import { markLostWithUndo } from '../lost-with-undo.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { withUndo } from '../views/undo.view.js';
import { act, askText, type CrmConversation } from './ask-text.js';
import { errorFields } from '../log-fields.js';

export const LOST_REASON_CONVERSATION = 'lostReason';
export const ROLLBACK_REASON_CONVERSATION = 'rollbackReason';

/** Where the card that started the conversation is, and the version it showed. */
export interface ReasonArgs { leadId: number; version: number; chatId: number; messageId: number }

/** ❌ Lost → ✍️ Other…: the reason as free text, then LOST (§3). */
export function lostReasonConversation(db: Db, limiter: RateLimiter, store: KeyValueStore) {
  return async function lostReason(conversation: CrmConversation, _ctx: Context, args: ReasonArgs): Promise<void> {
    const reason = await askText(conversation, (t) => t.actions.lostAskText(args.leadId), { min: 1, max: TEXT_LIMIT });
    if (reason === null) return;
    // LOST offers ↩️ Undo for 30 s on the fresh card.
    await act(conversation, (ctx) => applyWithReason(db, limiter, ctx, args, () =>
      markLostWithUndo(db, store, { leadId: args.leadId, actor: ctx.user, reason, expectedVersion: args.version })));
  };
}

/** ↩️ Roll back (§3, managers and admins): a reason of ≥ 10 characters, then one step back. */
export function rollbackReasonConversation(db: Db, limiter: RateLimiter) {
  return async function rollbackReason(conversation: CrmConversation, _ctx: Context, args: ReasonArgs): Promise<void> {
    const reason = await askText(conversation, (t) => t.actions.rollbackAskText(args.leadId, ROLLBACK_REASON_MIN),
      { min: ROLLBACK_REASON_MIN, max: TEXT_LIMIT });
    if (reason === null) return;
    await act(conversation, (ctx) => applyWithReason(db, limiter, ctx, args, () =>
      rollbackStage(db, { leadId: args.leadId, actor: ctx.user, reason, expectedVersion: args.version })
        .then((lead) => ({ lead })), true));
  };
}

/**
 * Applies the change (one stage transition against the user's §16 limit;
 * a refusal is shown by act()); the result goes out as a fresh card under the user's
 * reply (where they are looking), and the original card is redrawn so its
 * now-stale buttons disappear.
 */
async function applyWithReason(
  db: Db, limiter: RateLimiter, ctx: ActiveContext, args: ReasonArgs,
  change: () => Promise<{ lead: Lead; undoToken?: string }>, rollback = false,
): Promise<void> {
  const t = ctx.t;
  await limiter.consume(ctx.user.id, 'stage_transition');
  let notice: string;
  let lead: Lead;
  let undoToken: string | undefined;
  try {
    ({ lead, undoToken } = await change());
    notice = rollback ? t.actions.rolledBack(lead.id, t.stages[lead.stage]) : t.actions.moved(lead.id, t.stages[lead.stage]);
    ctx.log.info({ lead_id: lead.id, to: lead.stage, rollback }, 'lead_stage_transition');
  } catch (err) {
    if (!(err instanceof LeadChangedError)) throw err;
    lead = (await loadCardData(db, args.leadId, ctx.user)).lead;
    notice = t.errors.LEAD_CHANGED(args.leadId);
  }
  const data = await cardDataFor(db, lead, ctx.user);
  // Best effort: the old card may have been deleted; the fresh one below is what matters.
  await editView(ctx.api, args.chatId, args.messageId, renderLeadCard(t, data))
    .catch((err: unknown) => ctx.log.warn(errorFields(err), 'bot_card_redraw_failed'));
  const fresh = renderLeadCard(t, data, notice);
  await sendView(ctx.api, ctx.chat!.id, undoToken ? withUndo(t, fresh, undoToken) : fresh);
}
