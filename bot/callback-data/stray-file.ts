import { defineCallbackData, int, token } from './codec.js';

/** A recent lead under "which lead is this file for?": attach the waiting file to it. */
export const strayFileLeadData = defineCallbackData('sfl1', { key: token, leadId: int });
/** ❌ under that question: the file is not attached anywhere. */
export const strayFileCancelData = defineCallbackData('sfx1', { key: token });
