/**
 * Preset reasons offered by the ❌ Lost button. The code travels in callback
 * data; the stored lead.lost_reason is the English label, so the history reads
 * the same whatever language the person who chose it uses.
 */
export const LOST_REASONS = {
  no_budget: 'No budget',
  no_response: 'No response',
  competitor: 'Chose a competitor',
  not_fit: 'Not a fit',
  spam: 'Spam',
} as const;

export type LostReasonCode = keyof typeof LOST_REASONS;
export const LOST_REASON_CODES = Object.keys(LOST_REASONS) as LostReasonCode[];
