import { sql } from 'kysely';
import { assertCan } from '../access/access-policy.js';
import type { Db, User } from '../database.js';
import { AI_STATS_DAYS, type FallbackReason } from './ai.constants.js';
import { modelCallsOn, utcDay } from './ai.repository.js';

/** /aistats (§7): the last AI_STATS_DAYS days of the audit log, and today's use of AI_DAILY_CAP. */
export interface AiStats {
  days: number;
  /** Analyses of any kind, model or fallback. */
  analyses: number;
  /** Calls made to the model (a fallback after a 500 was one). */
  modelCalls: number;
  /** Summed cost_usd, as a decimal string (exact). */
  totalCostUsd: string;
  /** Average latency of the model calls, ms; null without any. */
  avgModelLatencyMs: number | null;
  fallbacks: number;
  /** fallbacks / analyses (0–1); null without analyses. */
  fallbackRate: number | null;
  fallbackReasons: { reason: FallbackReason; count: number }[];
  /** Analyses someone disagreed with ([👎 Disagree]). */
  disagreed: number;
  /** disagreed / analyses; null without analyses. */
  disagreementRate: number | null;
  today: { day: string; modelCalls: number; cap: number };
}

/**
 * The figures of /aistats in one round of three aggregate queries (admins
 * only, §7). Throws ForbiddenError.
 */
export async function aiStats(db: Db, viewer: User, p: { now: Date; cap: number }): Promise<AiStats> {
  assertCan(viewer, 'ai.stats');
  const since = new Date(p.now.getTime() - AI_STATS_DAYS * 86_400_000);
  const today = utcDay(p.now);
  const [totals, reasons, calls] = await Promise.all([
    db.selectFrom('ai_analyses as a').where('a.created_at', '>=', since)
      .select((eb) => [
        eb.fn.countAll<number>().as('analyses'),
        sql<number>`count(*) filter (where a.model_called)`.as('model_calls'),
        sql<string>`coalesce(sum(a.cost_usd), 0)::text`.as('cost'),
        sql<number | null>`avg(a.latency_ms) filter (where a.model_called and not a.is_fallback)`.as('latency'),
        sql<number>`count(*) filter (where a.is_fallback)`.as('fallbacks'),
        sql<number>`count(*) filter (where exists (select 1 from ai_feedback f where f.lead_score_id = a.lead_score_id))`.as('disagreed'),
      ])
      .executeTakeFirstOrThrow(),
    db.selectFrom('ai_analyses').where('created_at', '>=', since).where('is_fallback', '=', true)
      .select(['fallback_reason', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('fallback_reason').orderBy('n', 'desc').execute(),
    modelCallsOn(db, today),
  ]);
  const analyses = Number(totals.analyses);
  const fallbacks = Number(totals.fallbacks);
  const disagreed = Number(totals.disagreed);
  const rate = (n: number) => (analyses ? n / analyses : null);
  return {
    days: AI_STATS_DAYS,
    analyses,
    modelCalls: Number(totals.model_calls),
    totalCostUsd: trimCost(totals.cost),
    avgModelLatencyMs: totals.latency === null ? null : Math.round(Number(totals.latency)),
    fallbacks,
    fallbackRate: rate(fallbacks),
    fallbackReasons: reasons.map((r) => ({ reason: r.fallback_reason!, count: Number(r.n) })),
    disagreed,
    disagreementRate: rate(disagreed),
    today: { day: today, modelCalls: calls, cap: p.cap },
  };
}

/** "0.00123400" → "0.001234"; at least two decimals ("3" → "3.00"). */
function trimCost(value: string): string {
  const [whole = '0', frac = ''] = value.split('.');
  const trimmed = frac.replace(/0+$/, '');
  return `${whole}.${trimmed.padEnd(2, '0')}`;
}
