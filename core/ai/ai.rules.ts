import type { QualityTier } from '../leads/lead.constants.js';
import { TREND_STABLE_BAND, type Recommendation, type Trend } from './ai.constants.js';

/**
 * §2: HOT ≥ 0.8, WARM 0.6–0.8, COLD 0.3–0.6, DEAD < 0.3 (each lower bound
 * inclusive); null while there is no score.
 */
export function qualityTierOf(score: number | null): QualityTier | null {
  if (score === null) return null;
  if (score >= 0.8) return 'HOT';
  if (score >= 0.6) return 'WARM';
  if (score >= 0.3) return 'COLD';
  return 'DEAD';
}

/** §7 fallback: ≥ 0.6 transfer_to_sales, ≥ 0.3 continue_nurturing, else lost. */
export function recommendationFor(score: number): Recommendation {
  if (score >= 0.6) return 'transfer_to_sales';
  if (score >= 0.3) return 'continue_nurturing';
  return 'lost';
}

/**
 * §7: the trend of the last two scores, newest first. Fewer than two →
 * none; a change within ±TREND_STABLE_BAND (inclusive) → stable.
 */
export function trendOf(scores: readonly number[]): Trend {
  if (scores.length < 2) return 'none';
  // Rounded to hundredths first, as the card shows them, so 0.05 apart is "stable" despite float noise.
  const delta = Math.round((scores[0]! - scores[1]!) * 100) / 100;
  if (delta > TREND_STABLE_BAND) return 'rising';
  if (delta < -TREND_STABLE_BAND) return 'falling';
  return 'stable';
}
