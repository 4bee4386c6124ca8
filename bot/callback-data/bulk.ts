import { LOST_REASON_CODES } from '../../core/index.js';
import { defineCallbackData, int, oneOf, token } from './codec.js';

// /bulk (§6, managers and admins). `key` points at the list page's state in
// the store (bot/features/bulk-state.ts), so each menu can return to the page
// it came from; the selection itself lives in the store per user.

/** Stages a bulk move offers directly (LOST goes through the preset reasons). */
export const BULK_BUTTON_STAGES = ['CONTACTED', 'QUALIFIED'] as const;

/** Show a list page (◀ ▶, ↩️ Back). */
export const bulkPageData = defineCallbackData('bkp1', { key: token });
/** ☐/☑: toggle a lead in the selection and redraw the page. */
export const bulkToggleData = defineCallbackData('bkt1', { leadId: int, key: token });
/** ✖️ Clear the selection. */
export const bulkClearData = defineCallbackData('bkx1', { key: token });
/** ➡️ Stage…: the stage menu. */
export const bulkStageMenuData = defineCallbackData('bks1', { key: token });
/** A stage from the menu: apply to the selection. */
export const bulkStageData = defineCallbackData('bkm1', { stage: oneOf(BULK_BUTTON_STAGES), key: token });
/** ❌ Lost…: the preset reasons. */
export const bulkLostMenuData = defineCallbackData('bkl1', { key: token });
/** A preset reason: LOST for the selection. */
export const bulkLostData = defineCallbackData('bkr1', { reason: oneOf(LOST_REASON_CODES), key: token });
/** 👤 Assign…: the people to choose from. */
export const bulkAssignMenuData = defineCallbackData('bka1', { key: token });
/** A person from the menu: assign the selection to them. */
export const bulkAssignData = defineCallbackData('bku1', { userId: int, key: token });
/** 🗑 Delete…: ask for confirmation (admins). */
export const bulkDeleteAskData = defineCallbackData('bkd1', { key: token });
/** ✅ on the confirmation: `snapshot` is the exact set of ids the question named. */
export const bulkDeleteData = defineCallbackData('bkc1', { snapshot: token, key: token });
