import { z } from 'zod';
import { RECOMMENDATIONS } from './ai.constants.js';

/**
 * The model's answer (§7), defined once: the SDK's zod helper turns it into
 * the strict JSON schema sent as response_format (Structured Outputs), and
 * the SDK's parse() validates the answer against this same schema — a
 * score outside 0–1, another recommendation or a reason under 10
 * characters is rejected (and the fallback answers), never hand-parsed.
 * The helper works with the zod 4 installed here (openai ≥ 5 supports zod 3 and 4).
 */
export const AnalysisSchema = z.object({
  score: z.number().min(0).max(1).describe('How likely the lead is to buy, 0 (never) to 1 (ready now)'),
  recommendation: z.enum(RECOMMENDATIONS).describe('What the team should do with the lead next'),
  reason: z.string().min(10).max(1000).describe('Why, in one or two sentences, for the sales team'),
});
export type ModelAnalysis = z.infer<typeof AnalysisSchema>;

/** AnalysisSchema as response_format; the SDK's helper is loaded on the first call (only a configured model needs it). */
export async function analysisResponseFormat() {
  const { zodResponseFormat } = await import('openai/helpers/zod');
  return zodResponseFormat(AnalysisSchema, 'lead_analysis');
}

/** The instructions; the lead's features follow as JSON in the user message. */
export const SYSTEM_PROMPT = [
  'You score B2B sales leads for a sales team.',
  'You get one lead as JSON features: source, stage, message_count, business_domain, days_since_created,',
  'message_velocity (messages per day), contact_completeness (phone and email both known),',
  'b2b_qualification (company and position both known), days_since_last_activity.',
  'Answer with score (0 to 1: how likely the lead is to buy), recommendation',
  `(one of ${RECOMMENDATIONS.join(', ')}) and a short reason.`,
].join(' ');
