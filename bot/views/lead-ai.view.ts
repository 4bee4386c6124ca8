import { InlineKeyboard } from 'grammy';
import { AI_VERDICTS, type AiBulkResult, type AiStats, type LeadCard } from '../../core/index.js';
import { aiDisagreeData, aiVerdictData, leadAnalyzeData } from '../callback-data/ai.js';
import { leadCardData } from '../callback-data/lead.js';
import { escapeHtml, truncate } from '../html.js';
import { errorText } from '../texts/errors.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

/** How much of the model's (or the rules') reason a card shows, in characters. */
const REASON_MAX = 300;

const tierOf = (t: Texts, tier: LeadCard['lead']['quality_tier']) => (tier ? t.tiers[tier] : '');

/**
 * The card's AI lines (§7): score, tier badge and trend; the recommendation;
 * the reason; the "rule-based" mark when the model was not used; the
 * viewer's own disagreement. Nothing while the lead has no score.
 */
export function aiLines(t: Texts, { lead, ai }: Pick<LeadCard, 'lead' | 'ai'>): string[] {
  if (lead.ai_score === null) return [];
  const trend = ai && ai.trend !== 'none' ? ` · ${t.ai.trends[ai.trend]}` : '';
  const lines = [`${t.card.score}: <b>${lead.ai_score.toFixed(2)}</b> ${tierOf(t, lead.quality_tier)}${trend}`.trimEnd()];
  if (lead.ai_recommendation) lines.push(`${t.ai.recommendation}: ${t.ai.recommendations[lead.ai_recommendation]}`);
  if (lead.ai_reason) lines.push(`${t.ai.why}: <i>${escapeHtml(truncate(lead.ai_reason, REASON_MAX))}</i>`);
  if (ai?.analyzedBy === 'fallback') lines.push(t.ai.ruleBased);
  if (ai?.myVerdict) lines.push(t.ai.youDisagreed(t.ai.verdicts[ai.myVerdict]));
  return lines;
}

/** [🤖 Analyze] [👎 Disagree] on a card: what the viewer may do, and an analysis to disagree with. */
export function addAiButtons(kb: InlineKeyboard, t: Texts, card: LeadCard): void {
  const analyze = card.actions.includes('analyze');
  if (!analyze && !card.ai) return;
  kb.row();
  if (analyze) kb.text(t.ai.analyze, leadAnalyzeData.pack({ leadId: card.lead.id }));
  if (card.ai) kb.text(t.ai.disagree, aiDisagreeData.pack({ leadId: card.lead.id, scoreId: card.ai.latestScoreId }));
}

/** 👎 Disagree: the card, the question, one button per verdict, ↩️ Back. */
export function renderVerdicts(t: Texts, cardText: string, leadId: number, scoreId: number): View {
  const kb = new InlineKeyboard();
  for (const verdict of AI_VERDICTS) kb.text(t.ai.verdicts[verdict], aiVerdictData.pack({ verdict, leadId, scoreId })).row();
  kb.text(t.common.back, leadCardData.pack({ leadId }));
  return { text: `${cardText}\n\n${t.ai.disagreeAsk(leadId)}`, keyboard: kb };
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** /aistats (§7, admins). */
export function renderAiStats(t: Texts, s: AiStats): string {
  const lines = [t.ai.stats.title(s.days)];
  if (s.analyses === 0) lines.push(t.ai.stats.none);
  else {
    lines.push(
      t.ai.stats.analyses(s.analyses), t.ai.stats.modelCalls(s.modelCalls), t.ai.stats.cost(s.totalCostUsd),
      t.ai.stats.latency(s.avgModelLatencyMs), t.ai.stats.fallbacks(s.fallbacks, percent(s.fallbackRate)),
      ...s.fallbackReasons.map((r) => t.ai.stats.reason(t.ai.fallbackReasons[r.reason], r.count)),
      t.ai.stats.disagreements(s.disagreed, percent(s.disagreementRate)),
    );
  }
  lines.push('', t.ai.stats.today(s.today.modelCalls, s.today.cap));
  return lines.join('\n');
}

const MAX_LINES = 25;

/** Bulk analyze (§6): one line per lead — its score and tier, ⚙️ when the rules scored it — and the failures with core's reason. */
export function renderBulkAnalyzeSummary(t: Texts, result: AiBulkResult): string {
  const lines = result.results.slice(0, MAX_LINES).map((r) => (r.status === 'ok' && r.analysis
    ? t.ai.bulkLine(r.id, r.analysis.score.toFixed(2), tierOf(t, r.analysis.qualityTier), r.analysis.analyzedBy === 'fallback')
    : t.bulk.failure(r.id, (r.error && errorText(t, r.error)) ?? t.common.somethingWrong)));
  if (result.results.length > MAX_LINES) lines.push(t.bulk.more(result.results.length - MAX_LINES));
  const ruleBased = result.results.some((r) => r.analysis?.analyzedBy === 'fallback');
  return [t.ai.bulkSummary(result.succeeded, result.failed), ...lines, ...(ruleBased ? [t.ai.bulkRuleBasedNote] : [])].join('\n');
}
