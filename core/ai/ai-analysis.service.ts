import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { CoreConfig } from '../core-context.js';
import type { Database, Lead, LeadScore, User } from '../database.js';
import { RateLimitedError } from '../errors.js';
import type { RateLimiter } from '../security/rate-limit.js';
import type { AiTrigger, AnalyzedBy, FallbackReason, Recommendation } from './ai.constants.js';
import type { AuditWriter } from './ai-audit.writer.js';
import { inputSha256, leadFeatures } from './ai-features.rules.js';
import { ruleBasedAnalysis } from './ai-fallback.rules.js';
import type { ModelClient } from './ai-model.client.js';
import { type HeldRequest, saveScore, takeModelCall, utcDay } from './ai.repository.js';

/** What the edges may be told about every analysis (metrics.ts feeds crm_ai_duration_seconds and crm_ai_analyses_total). */
export type AiObserver = (e: { seconds: number; analyzedBy: AnalyzedBy; fallbackReason: FallbackReason | null }) => void;

/** A 429's Retry-After is honoured for at most this long (ms): the fallback answers meanwhile, without a call. */
const MAX_PAUSE_MS = 60_000;

export interface AnalysisDeps {
  db: Kysely<Database>;
  limiter: RateLimiter;
  config: Pick<CoreConfig, 'AI_DAILY_CAP' | 'AI_PRICE_INPUT_PER_MTOK' | 'AI_PRICE_OUTPUT_PER_MTOK'>;
  logger: Logger;
  now: () => Date;
  model: ModelClient;
  audit: AuditWriter;
  observe?: AiObserver | undefined;
  /** Until when (epoch ms, real time) the model said 429: shared by this core's analyses. */
  pause: { until: number };
}

export interface AnalysisOutcome {
  lead: Lead;
  score: LeadScore;
  analyzedBy: AnalyzedBy;
  fallbackReason: FallbackReason | null;
  /** How long the model call (or the rules) took, ms. */
  latencyMs: number;
}

interface Verdict {
  score: number; recommendation: Recommendation; reason: string;
  fallbackReason: FallbackReason | null; modelCalled: boolean; inputTokens: number; outputTokens: number;
  status?: number | undefined;
}

/**
 * One analysis of `lead` (§7): the features are computed here; the model
 * answers unless a cap or the model itself says no, and then the
 * rule-based score does — never an error. In order: the user's own
 * analyses (§16, `countFor`: manual and bulk ones), the key, a 429 pause,
 * AI_DAILY_CAP (one model call taken atomically per UTC day), the call.
 * The result is saved on the lead (saveScore, which also deletes the
 * worker's `request` in the same statement), then the audit row is queued
 * (written after the answer) and the observer and the log are told.
 * Returns null when the lead was deleted meanwhile (nothing saved).
 */
export async function analyzeLead(
  deps: AnalysisDeps,
  p: { lead: Lead; trigger: AiTrigger; actor: User | null; countFor: User | null; request?: HeldRequest | undefined },
): Promise<AnalysisOutcome | null> {
  const { lead, trigger, actor } = p;
  const features = leadFeatures(lead, deps.now());
  const started = performance.now();
  const verdict = await decide(deps, p.countFor, features);
  const latencyMs = Math.round(performance.now() - started);
  const analyzedBy: AnalyzedBy = verdict.fallbackReason ? 'fallback' : 'openai';
  const saved = await saveScore(deps.db, {
    leadId: lead.id, actorUserId: actor?.id ?? null, at: deps.now(),
    result: { score: verdict.score, recommendation: verdict.recommendation, reason: verdict.reason, analyzedBy },
    request: p.request,
  });
  const tokens = verdict.inputTokens + verdict.outputTokens;
  const cost = (verdict.inputTokens * deps.config.AI_PRICE_INPUT_PER_MTOK
    + verdict.outputTokens * deps.config.AI_PRICE_OUTPUT_PER_MTOK) / 1_000_000;
  deps.audit.write({
    lead_id: lead.id, lead_score_id: saved?.score.id ?? null,
    model: verdict.modelCalled ? deps.model.model : 'rule-based', input_sha256: inputSha256(features),
    score: verdict.score, recommendation: verdict.recommendation, reason: verdict.reason, latency_ms: latencyMs,
    tokens_input: verdict.inputTokens, tokens_output: verdict.outputTokens, tokens_used: tokens, cost_usd: cost.toFixed(8),
    is_fallback: verdict.fallbackReason !== null, fallback_reason: verdict.fallbackReason, model_called: verdict.modelCalled,
    trigger, requested_by: actor?.id ?? null, created_at: deps.now(),
  });
  deps.observe?.({ seconds: latencyMs / 1000, analyzedBy, fallbackReason: verdict.fallbackReason });
  // No PII: ids, the outcome and why; never the lead's contact or text.
  const fields = { lead_id: lead.id, trigger, user_id: actor?.id ?? null, score: verdict.score, latency_ms: latencyMs };
  if (verdict.fallbackReason) {
    deps.logger.warn({ ...fields, fallback_reason: verdict.fallbackReason, model_called: verdict.modelCalled, status: verdict.status },
      'openai_unavailable_using_fallback');
  } else {
    deps.logger.info({ ...fields, tokens_used: tokens }, 'ai_analysis_complete');
  }
  if (!saved) return null;
  return { lead: saved.lead, score: saved.score, analyzedBy, fallbackReason: verdict.fallbackReason, latencyMs };
}

async function decide(deps: AnalysisDeps, countFor: User | null, features: ReturnType<typeof leadFeatures>): Promise<Verdict> {
  const fallback = (reason: FallbackReason, modelCalled = false, status?: number): Verdict => ({
    ...ruleBasedAnalysis(features), fallbackReason: reason, modelCalled, inputTokens: 0, outputTokens: 0, status,
  });
  if (countFor) {
    try {
      await deps.limiter.consume(countFor.id, 'ai_analysis');
    } catch (err) {
      if (err instanceof RateLimitedError) return fallback('user_cap');
      throw err;
    }
  }
  if (!deps.model.configured) return fallback('no_api_key');
  if (Date.now() < deps.pause.until) return fallback('rate_limited');
  if (!(await takeModelCall(deps.db, utcDay(deps.now()), deps.config.AI_DAILY_CAP))) return fallback('daily_cap');
  const answer = await deps.model.analyze(features);
  if (!answer.ok) {
    if (answer.reason === 'rate_limited') deps.pause.until = Date.now() + Math.min(answer.retryAfterMs ?? 1_000, MAX_PAUSE_MS);
    return fallback(answer.reason, true, answer.status);
  }
  return {
    ...answer.analysis, fallbackReason: null, modelCalled: true,
    inputTokens: answer.inputTokens, outputTokens: answer.outputTokens,
  };
}
