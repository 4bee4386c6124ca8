/**
 * The one definition of the sales pipeline's values (§8, §9). Validators,
 * buttons, filters and SQL checks derive from these arrays.
 */
export const DEAL_STAGES = ['NEW', 'KYC', 'AGREEMENT', 'PAID', 'LOST'] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

/** Stages a deal is still being worked in (§9): the /deals default, the stale-deal rule. */
export const OPEN_DEAL_STAGES = ['NEW', 'KYC', 'AGREEMENT'] as const satisfies readonly DealStage[];
export const TERMINAL_DEAL_STAGES = ['PAID', 'LOST'] as const satisfies readonly DealStage[];

/** What a deal's history row records. */
export const DEAL_HISTORY_ACTIONS = ['CREATED', 'STAGE_CHANGED', 'UNDONE', 'STALE_ALERT'] as const;
export type DealHistoryAction = (typeof DEAL_HISTORY_ACTIONS)[number];

/** §9: a lost deal's reason, in characters. */
export const DEAL_LOST_REASON_MAX = 512;

/** §8: the lowest AI score a lead may be transferred with. */
export const TRANSFER_MIN_SCORE = 0.6;

/**
 * Why a transfer is refused (§8), in the order they are checked:
 * - not_qualified: the lead is not QUALIFIED;
 * - not_analyzed: it has no AI score yet;
 * - score_too_low: its score is below TRANSFER_MIN_SCORE;
 * - no_domain: its business domain is not set.
 */
export const TRANSFER_REFUSALS = ['not_qualified', 'not_analyzed', 'score_too_low', 'no_domain'] as const;
export type TransferRefusal = (typeof TRANSFER_REFUSALS)[number];
