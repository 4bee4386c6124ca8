import { DEAL_STAGES } from '../../core/index.js';
import { defineCallbackData, int, oneOf, token } from './codec.js';

/** Stages a deal button confirms with a tap (AGREEMENT asks for the amount; LOST for a reason). */
export const DEAL_TAP_STAGES = ['KYC', 'PAID'] as const;
export type DealTapStage = (typeof DEAL_TAP_STAGES)[number];

// Everything that changes a deal carries the version the card showed (§9):
// a stale or double-tapped button then fails with DealChangedError.

/** Send the deal's card as a new message (lists, notices, a lead's card). */
export const dealOpenData = defineCallbackData('do1', { dealId: int });
/** Redraw the deal card in place (cancel / back). */
export const dealCardData = defineCallbackData('dc1', { dealId: int });
/** ❌ Cancel under a question asked on the deal card. */
export const dealInputCancelData = defineCallbackData('dic1', { dealId: int });
/** ➡️ KYC, ✅ Paid: ask for confirmation on the card. */
export const dealAskStageData = defineCallbackData('da1', { stage: oneOf(DEAL_TAP_STAGES), dealId: int, version: int });
/** ✅ on the confirmation: apply the move. */
export const dealConfirmStageData = defineCallbackData('dk1', { stage: oneOf(DEAL_TAP_STAGES), dealId: int, version: int });
/** ➡️ Agreement: ask for the amount. */
export const dealAgreementData = defineCallbackData('dg1', { dealId: int, version: int });
/** ❌ Lost: ask for the reason. */
export const dealLostData = defineCallbackData('dl1', { dealId: int, version: int });
/** 🕘 History, page n (1-based), in place of the card. */
export const dealHistoryData = defineCallbackData('dh1', { dealId: int, page: int });
/** ↩️ Undo of a deal move. */
export const dealUndoData = defineCallbackData('du1', { token });

/** Which deals /deals shows: the open ones, or one stage. */
export const DEAL_LIST_FILTERS = ['OPEN', ...DEAL_STAGES] as const;
export type DealListFilter = (typeof DEAL_LIST_FILTERS)[number];
/**
 * A /deals page: `cursor` is core's opaque keyset cursor (short base64url),
 * read as `next` (older) or `prev` (newer); `first` starts over.
 */
export const dealsPageData = defineCallbackData('dp1', {
  filter: oneOf(DEAL_LIST_FILTERS), dir: oneOf(['first', 'next', 'prev'] as const), page: int, cursor: token,
});
