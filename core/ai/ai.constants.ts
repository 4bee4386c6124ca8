/**
 * The one definition of every allowed AI value (§2, §7): the schema sent to
 * the model, the SQL checks, the card and /aistats all derive from these.
 */
export const RECOMMENDATIONS = ['transfer_to_sales', 'continue_nurturing', 'lost'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

/** Who produced a score (§7 score history). */
export const ANALYZED_BY = ['openai', 'fallback'] as const;
export type AnalyzedBy = (typeof ANALYZED_BY)[number];

/**
 * Why the rule-based score answered instead of the model (§7, §16):
 * - no_api_key: OPENAI_API_KEY is not set;
 * - network: the model could not be reached (refused, reset, DNS);
 * - timeout: no answer within AI_TIMEOUT_MS;
 * - rate_limited: the model answered 429 (or its Retry-After has not passed yet);
 * - server_error: the model answered 5xx;
 * - api_error: any other refusal of the request (400, 401, 404…);
 * - refusal: the model declined to answer;
 * - invalid_output: the answer did not pass the schema (or was cut short);
 * - daily_cap: AI_DAILY_CAP model calls were already made this UTC day;
 * - user_cap: the user asked for RATE_LIMIT_AI_ANALYSES_PER_DAY analyses already (§16).
 */
export const FALLBACK_REASONS = [
  'no_api_key', 'network', 'timeout', 'rate_limited', 'server_error', 'api_error', 'refusal', 'invalid_output',
  'daily_cap', 'user_cap',
] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

/** What started an analysis: a new lead, a lead reaching QUALIFIED (both by the worker), a card tap, a bulk action. */
export const AI_TRIGGERS = ['created', 'qualified', 'manual', 'bulk'] as const;
export type AiTrigger = (typeof AI_TRIGGERS)[number];

/** §7: the rule-based reason always carries this mark. */
export const RULE_BASED_MARK = '[AI OFFLINE - RULE BASED]';

/**
 * Score trend from the last two scores (§7). Scores closer than this are
 * "stable": a model re-scoring the same lead moves by a few hundredths
 * without anything having changed, and that is not a trend to act on.
 */
export const TREND_STABLE_BAND = 0.05;
export const TRENDS = ['rising', 'falling', 'stable', 'none'] as const;
export type Trend = (typeof TRENDS)[number];

/** What a manager says is wrong with an analysis ([👎 Disagree]). */
export const AI_VERDICTS = ['too_high', 'too_low', 'wrong_recommendation'] as const;
export type AiVerdict = (typeof AI_VERDICTS)[number];
/** A disagreement's optional comment, in characters. */
export const AI_COMMENT_LIMIT = 1024;

/** /aistats looks back this many days (§7). */
export const AI_STATS_DAYS = 30;
