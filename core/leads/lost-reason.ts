import type { LostReasonCode } from './lead.constants.js';

/**
 * Why a lead is lost (§3), as an edge gives it: a preset, stored as its
 * code and shown in each reader's language, or text someone typed.
 */
export type LostReason = { code: LostReasonCode } | { text: string };

/** The request fields of a LostReason (reasonCode for a preset, reason for text). */
export function lostReasonFields(reason: LostReason | undefined): { reason: string | null; reasonCode: LostReasonCode | null } {
  if (!reason) return { reason: null, reasonCode: null };
  return 'code' in reason ? { reason: null, reasonCode: reason.code } : { reason: reason.text, reasonCode: null };
}
