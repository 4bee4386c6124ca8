import { createRoute, z } from '@hono/zod-openapi';
import {
  ANALYZED_BY, FALLBACK_REASONS, RECOMMENDATIONS, type AiStats, type AnalysisOutcome, type Core,
} from '../../../core/index.js';
import { AUTHED, apiApp, bearer, errors, json, send } from '../api-route.js';
import { IdParam, Lead, OffsetQuery, offsetPageOf } from '../api-schemas.js';

const tags = ['AI'];
const ts = z.string().openapi({ format: 'date-time' });

const Score = z.object({
  id: z.number().int(), lead_id: z.number().int(), score: z.number().openapi({ description: '0–1' }),
  recommendation: z.enum(RECOMMENDATIONS), reason: z.string(), analyzed_by: z.enum(ANALYZED_BY), created_at: ts,
}).openapi('LeadScore');
const Analysis = z.object({
  lead: Lead, score: Score, analyzed_by: z.enum(ANALYZED_BY),
  fallback_reason: z.enum(FALLBACK_REASONS).nullable().openapi({ description: 'Why the rule-based score answered (null: the model did).' }),
  latency_ms: z.number().int(),
}).openapi('Analysis');
const Stats = z.object({
  days: z.number().int(), analyses: z.number().int(), model_calls: z.number().int(),
  total_cost_usd: z.string().openapi({ description: 'Exact decimal' }), avg_model_latency_ms: z.number().nullable(),
  fallbacks: z.number().int(), fallback_rate: z.number().nullable(),
  fallback_reasons: z.array(z.object({ reason: z.enum(FALLBACK_REASONS), count: z.number().int() })),
  disagreed: z.number().int(), disagreement_rate: z.number().nullable(),
  today: z.object({ day: z.string(), model_calls: z.number().int(), cap: z.number().int() }),
}).openapi('AiStats');

const analysisJson = (o: AnalysisOutcome) => ({
  lead: o.lead, score: o.score, analyzed_by: o.analyzedBy, fallback_reason: o.fallbackReason, latency_ms: o.latencyMs,
});
const statsJson = (s: AiStats) => ({
  days: s.days, analyses: s.analyses, model_calls: s.modelCalls, total_cost_usd: s.totalCostUsd,
  avg_model_latency_ms: s.avgModelLatencyMs, fallbacks: s.fallbacks, fallback_rate: s.fallbackRate,
  fallback_reasons: s.fallbackReasons, disagreed: s.disagreed, disagreement_rate: s.disagreementRate,
  today: { day: s.today.day, model_calls: s.today.modelCalls, cap: s.today.cap },
});

/** AI analysis (§7): run one now, a lead's score history, and the admins' figures — each one core.ai use case. */
export function aiRoutes(core: Core) {
  const app = apiApp();

  app.openapi(createRoute({
    method: 'post', path: '/leads/{id}/analysis', tags, security: bearer, summary: 'Analyse a lead now',
    description: 'One analysis (§7), taking up to AI_TIMEOUT_MS. When the model cannot answer (no key, network, timeout, 429/5xx, refusal, an answer the schema rejects, AI_DAILY_CAP, the caller\'s analyses of the day) the rule-based score answers instead — never an error — with analyzed_by "fallback", fallback_reason and the reason marked "[AI OFFLINE - RULE BASED]". 409 ANALYSIS_IN_PROGRESS while another analysis of the lead runs.',
    request: { params: IdParam },
    responses: { 200: json(Analysis, 'The analysis and the lead with its new score and tier'), ...errors(...AUTHED, 403, 404, 409) },
  }), async (c) => send(c, analysisJson(await core.ai.analyze(c.get('viewer'), c.req.valid('param').id))));

  app.openapi(createRoute({
    method: 'get', path: '/leads/{id}/scores', tags, security: bearer, summary: 'Score history, newest first',
    request: { params: IdParam, query: OffsetQuery },
    responses: { 200: json(offsetPageOf(Score, 'LeadScorePage'), 'A page'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => {
    const q = c.req.valid('query');
    const page = await core.ai.scores(c.get('viewer'), c.req.valid('param').id, q);
    return send(c, { items: page.items, total: page.total, limit: q.limit, offset: q.offset });
  });

  app.openapi(createRoute({
    method: 'get', path: '/ai/stats', tags, security: bearer, summary: 'AI figures of the last 30 days (admins)',
    description: 'Model calls, total cost, average latency, fallback rate with its reasons, disagreement rate, today\'s use of AI_DAILY_CAP (as /aistats).',
    responses: { 200: json(Stats, 'The figures'), ...errors(...AUTHED, 403) },
  }), async (c) => send(c, statsJson(await core.ai.stats(c.get('viewer')))));
  return app;
}
