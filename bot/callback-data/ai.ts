import { AI_VERDICTS } from '../../core/index.js';
import { defineCallbackData, int, oneOf, token } from './codec.js';

// AI analysis (§7). None carries a lead version: a score is not a change a
// stale card could apply twice; core re-checks rights on every tap.

/** 🤖 Analyze on a lead card (and "Analyze again" where a refusal offers it). */
export const leadAnalyzeData = defineCallbackData('ai1', { leadId: int });
/** 👎 Disagree: the verdicts for analysis `scoreId` (a lead_scores id) of the lead. */
export const aiDisagreeData = defineCallbackData('aid1', { leadId: int, scoreId: int });
/** A verdict: recorded, then an optional comment is asked on the card. */
export const aiVerdictData = defineCallbackData('aiv1', { verdict: oneOf(AI_VERDICTS), leadId: int, scoreId: int });
/** /bulk: 🤖 Analyze the selection (§6). */
export const bulkAnalyzeData = defineCallbackData('bkz1', { key: token });
