import type { Lead } from '../database.js';
import { TRANSFER_MIN_SCORE, type TransferRefusal } from './deal.constants.js';

/**
 * The §8 gates a lead fails for the transfer to sales, in the order of
 * TRANSFER_REFUSALS: QUALIFIED, analysed, ai_score ≥ 0.6, business domain
 * set. Empty: the lead may be transferred. Pure.
 */
export function transferRefusals(lead: Pick<Lead, 'stage' | 'ai_score' | 'business_domain'>): TransferRefusal[] {
  const refusals: TransferRefusal[] = [];
  if (lead.stage !== 'QUALIFIED') refusals.push('not_qualified');
  if (lead.ai_score === null) refusals.push('not_analyzed');
  else if (lead.ai_score < TRANSFER_MIN_SCORE) refusals.push('score_too_low');
  if (!lead.business_domain?.trim()) refusals.push('no_domain');
  return refusals;
}
