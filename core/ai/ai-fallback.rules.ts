import type { LeadSource } from '../leads/lead.constants.js';
import { RULE_BASED_MARK, type Recommendation } from './ai.constants.js';
import type { LeadFeatures } from './ai-features.rules.js';
import { recommendationFor } from './ai.rules.js';

/**
 * §7 source weights. The first six are the spec's; the other four are ours,
 * each set beside the source it resembles most in how much the person chose
 * to reach us:
 * - CALLBACK 0.30: asked to be called back — as strong as a partner's introduction;
 * - MESSAGE 0.25: wrote to the bot themselves — like a site form (WEB);
 * - REGISTRATION 0.20: signed up for something — intent, but not a sales request (as SCANNER);
 * - LEAD_MAGNET 0.15: traded an email for content — curiosity more than need (as SOCIAL).
 */
export const SOURCE_WEIGHTS = {
  REFERRAL: 0.35, PARTNER: 0.30, WEB: 0.25, SCANNER: 0.20, SOCIAL: 0.15, MANUAL: 0.10,
  CALLBACK: 0.30, MESSAGE: 0.25, REGISTRATION: 0.20, LEAD_MAGNET: 0.15,
} as const satisfies Record<LeadSource, number>;

export interface RuleBasedAnalysis { score: number; recommendation: Recommendation; reason: string }

/** §7 message_count bonus: ≥ 10 +0.25, ≥ 5 +0.15, ≥ 2 +0.08. */
function messageBonus(count: number): number {
  if (count >= 10) return 0.25;
  if (count >= 5) return 0.15;
  if (count >= 2) return 0.08;
  return 0;
}

const STAGE_BONUS: Partial<Record<LeadFeatures['stage'], number>> = { QUALIFIED: 0.20, CONTACTED: 0.10 };

/**
 * The rule-based score of §7, exactly: source weight + message bonus +
 * 0.25 with a business domain + stage bonus, capped at 1.0; the
 * recommendation by recommendationFor. The reason starts with
 * RULE_BASED_MARK and lists each part, e.g.
 * "[AI OFFLINE - RULE BASED] source REFERRAL +0.35, 5 messages +0.15, business domain +0.25 = 0.75". Pure.
 */
export function ruleBasedAnalysis(f: LeadFeatures): RuleBasedAnalysis {
  const parts: [string, number][] = [[`source ${f.source}`, SOURCE_WEIGHTS[f.source]]];
  const messages = messageBonus(f.message_count);
  if (messages > 0) parts.push([`${f.message_count} messages`, messages]);
  if (f.business_domain) parts.push(['business domain', 0.25]);
  const stage = STAGE_BONUS[f.stage];
  if (stage) parts.push([`stage ${f.stage}`, stage]);
  // Summed in hundredths so 0.35 + 0.25 is 0.6 (a tier bound), not 0.6000000000000001.
  const cents = parts.reduce((sum, [, w]) => sum + Math.round(w * 100), 0);
  const score = Math.min(100, cents) / 100;
  const capped = cents > 100 ? ' (capped)' : '';
  const reason = `${RULE_BASED_MARK} ${parts.map(([what, w]) => `${what} +${w.toFixed(2)}`).join(', ')} = ${score.toFixed(2)}${capped}`;
  return { score, recommendation: recommendationFor(score), reason };
}
