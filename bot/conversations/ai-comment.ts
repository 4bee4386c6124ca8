import type { Context } from 'grammy';
import { AI_COMMENT_LIMIT, type Core } from '../../core/index.js';
import { act, askText, type CrmConversation } from './ask-text.js';
import { replaceWithCard, type CardRef } from './card-question.js';

export const AI_COMMENT_CONVERSATION = 'ai-comment';

export interface AiCommentArgs extends CardRef { scoreId: number }

/**
 * After a [👎 Disagree] verdict (already recorded): asks on the card for an
 * optional comment (❌ Cancel leaves the verdict without one), saves it
 * against the same analysis, and the card comes back under it.
 */
export function aiCommentConversation(core: Core) {
  return async function aiComment(conversation: CrmConversation, _ctx: Context, args: AiCommentArgs): Promise<void> {
    const on = { core, ref: args };
    const comment = await askText(conversation, (t) => t.ai.commentAsk(args.leadId, AI_COMMENT_LIMIT), {
      min: 1, max: AI_COMMENT_LIMIT, on,
    });
    if (comment === null) return;
    await act(conversation, async (ctx) => {
      await core.ai.comment(ctx.user, { scoreId: args.scoreId, comment });
      ctx.log.info({ lead_id: args.leadId, lead_score_id: args.scoreId }, 'ai_disagreement_commented');
      await replaceWithCard(core, ctx, args, ctx.t.ai.commentSaved(args.leadId));
    }, on);
  };
}
