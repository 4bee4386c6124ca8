import { sql, type ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Database } from '../database.js';
import type { AiVerdict, AnalyzedBy, Trend } from './ai.constants.js';
import { trendOf } from './ai.rules.js';

/**
 * What a lead card shows of its AI analysis (§7): the latest score's id
 * (what [👎 Disagree] refers to), who produced it (the "rule-based" mark),
 * the trend from the last two scores, and the viewer's own verdict on it.
 * The score, tier, recommendation and reason are the lead's own columns.
 */
export interface LeadCardAi {
  latestScoreId: number;
  analyzedBy: AnalyzedBy;
  analyzedAt: Date;
  /** The score before the latest, if any. */
  previousScore: number | null;
  trend: Trend;
  /** The viewer's [👎 Disagree] on the latest analysis, if they gave one. */
  myVerdict: AiVerdict | null;
}

interface ScoreRow { id: number; score: number; analyzed_by: AnalyzedBy; created_at: string; my_verdict: AiVerdict | null }

/**
 * The card query's subquery (lead-card.query.ts): the last two scores of
 * the lead `l`, newest first, each with `viewerId`'s verdict, as JSON.
 */
export function lastScoresOf(eb: ExpressionBuilder<Database & { l: Database['leads'] }, 'l'>, viewerId: number) {
  return jsonArrayFrom(eb.selectFrom('lead_scores as s')
    .select(['s.id', 's.score', 's.analyzed_by', 's.created_at'])
    .select(sql<AiVerdict | null>`(select f.verdict from ai_feedback f where f.lead_score_id = s.id and f.user_id = ${viewerId})`.as('my_verdict'))
    .whereRef('s.lead_id', '=', 'l.id').orderBy('s.id', 'desc').limit(2)).as('last_scores');
}

/** The card's AI part from lastScoresOf's rows; null while the lead was never analysed. */
export function cardAiOf(rows: readonly unknown[] | null): LeadCardAi | null {
  const scores = (rows ?? []) as ScoreRow[];
  const [latest, previous] = scores;
  if (!latest) return null;
  return {
    latestScoreId: latest.id,
    analyzedBy: latest.analyzed_by,
    analyzedAt: new Date(latest.created_at),
    previousScore: previous ? Number(previous.score) : null,
    trend: trendOf(scores.map((s) => Number(s.score))),
    myVerdict: latest.my_verdict,
  };
}
