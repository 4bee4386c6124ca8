import { LOST_REASON_CODES } from '../../core/index.js';
import { defineCallbackData, int, oneOf } from './codec.js';

/** The stages a card button can move a lead to directly (LOST goes through reasons). */
export const BUTTON_STAGES = ['CONTACTED', 'QUALIFIED'] as const;
export type ButtonStage = (typeof BUTTON_STAGES)[number];

// Everything that changes a lead carries the version the card showed (§3):
// a stale or double-tapped button then fails with LeadChangedError.

/** Send the lead's card as a new message (from lists and notifications). */
export const leadOpenData = defineCallbackData('lo1', { leadId: int });
/** Redraw the card in place (cancel / back). */
export const leadCardData = defineCallbackData('lc1', { leadId: int });
/** ❌ Cancel under a question asked on the card (a note, a reason, a new value, a file). */
export const leadInputCancelData = defineCallbackData('lic1', { leadId: int });
/** Stage button: ask for confirmation by editing the card. */
export const leadAskStageData = defineCallbackData('la1', { stage: oneOf(BUTTON_STAGES), leadId: int, version: int });
/** ✅ on the confirmation: apply the stage change. */
export const leadConfirmStageData = defineCallbackData('lk1', { stage: oneOf(BUTTON_STAGES), leadId: int, version: int });
/** ❌ Lost: show the preset reasons. */
export const leadLostData = defineCallbackData('ll1', { leadId: int, version: int });
/** A preset lost reason: apply LOST with it. */
export const leadLostReasonData = defineCallbackData('lr1', { reason: oneOf(LOST_REASON_CODES), leadId: int, version: int });
/** ✍️ Other…: ask for the reason as free text. */
export const leadLostOtherData = defineCallbackData('lw1', { leadId: int, version: int });
/** ↩️ Roll back: ask for the reason as free text (managers, §3). */
export const leadRollbackData = defineCallbackData('lb1', { leadId: int, version: int });
/** 🕘 History, page n (1-based), shown in place of the card. */
export const leadHistoryData = defineCallbackData('lh1', { leadId: int, page: int });
/**
 * 📞 Contacted on a stale-lead alert (§10): stale leads are already past NEW,
 * so this logs a contact (resetting the inactivity clock) instead of a stage move.
 */
export const leadContactData = defineCallbackData('lt1', { leadId: int, version: int });
export const leadContactConfirmData = defineCallbackData('lu1', { leadId: int, version: int });
