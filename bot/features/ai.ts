import { Composer } from 'grammy';
import { aiDisagreeData, aiVerdictData, leadAnalyzeData } from '../callback-data/ai.js';
import type { ActiveContext } from '../context.js';
import { AI_COMMENT_CONVERSATION, type AiCommentArgs } from '../conversations/ai-comment.js';
import { cardRefOf } from '../conversations/card-question.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { confirmTap, onCallback } from '../on-callback.js';
import { leadCardText, renderLeadCard } from '../views/lead-card.view.js';
import { renderAiStats, renderVerdicts } from '../views/lead-ai.view.js';
import { answerNow, setAnswer } from '../callback-answer.js';

/**
 * AI analysis in the bot (§7): 🤖 Analyze on a card (the tap is answered
 * at once, the card is redrawn with the score when it lands), 👎 Disagree
 * with a verdict and an optional comment, and /aistats for admins.
 * Core decides everything: rights, caps, model or rules.
 */
export function aiFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadAnalyzeData, core, async (ctx, data) => {
    await cardFor(ctx, core, data.leadId); // rights first: no "analysing" for a lead that is not theirs
    // The model may take seconds: stop the spinner now with "Analyzing…" (house style rule 9).
    setAnswer(ctx, ctx.t.ai.analyzing, { alert: false });
    await answerNow(ctx);
    const outcome = await core.ai.analyze(ctx.user, data.leadId);
    ctx.log.info({ lead_id: data.leadId, analyzed_by: outcome.analyzedBy, fallback_reason: outcome.fallbackReason }, 'bot_lead_analyzed');
    const { lead } = outcome;
    const score = outcome.score.score.toFixed(2);
    const tier = lead.quality_tier ? ctx.t.tiers[lead.quality_tier] : '';
    const notice = outcome.analyzedBy === 'fallback'
      ? ctx.t.ai.scoredRuleBased(lead.id, score, tier)
      : ctx.t.ai.scored(lead.id, score, tier);
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, lead.id), notice));
  });

  onCallback(composer, aiDisagreeData, core, async (ctx, data) => {
    const card = await cardFor(ctx, core, data.leadId);
    await editTapped(ctx, renderVerdicts(ctx.t, leadCardText(ctx.t, card), data.leadId, data.scoreId));
  });

  onCallback(composer, aiVerdictData, core, async (ctx, data) => {
    await core.ai.disagree(ctx.user, { scoreId: data.scoreId, verdict: data.verdict });
    ctx.log.info({ lead_id: data.leadId, lead_score_id: data.scoreId, verdict: data.verdict }, 'ai_disagreement_recorded');
    confirmTap(ctx, ctx.t.ai.disagreementSaved);
    const args: AiCommentArgs = { ...cardRefOf(ctx, data.leadId), scoreId: data.scoreId };
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(AI_COMMENT_CONVERSATION, args);
  });

  composer.command('aistats', async (ctx) => {
    await ctx.reply(renderAiStats(ctx.t, await core.ai.stats(ctx.user)), { parse_mode: 'HTML' });
  });

  return composer;
}

