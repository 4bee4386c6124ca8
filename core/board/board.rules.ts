import { nextStage, previousStage } from '../leads/cold-pipeline.rules.js';
import type { ColdStage } from '../leads/lead.constants.js';

/** The columns of the leads board (§14): the open stages, in pipeline order. */
export const BOARD_STAGES = ['NEW', 'CONTACTED', 'QUALIFIED'] as const satisfies readonly ColdStage[];
export type BoardStage = (typeof BOARD_STAGES)[number];
/** Where a card can be dropped: a column, or the ❌ Lost zone. */
export const BOARD_TARGETS = [...BOARD_STAGES, 'LOST'] as const;
export type BoardTarget = (typeof BOARD_TARGETS)[number];

/**
 * What dropping a card from `from` on `to` asks of the pipeline (§3): the
 * next stage is a forward move, the previous one a rollback (reason ≥ 10,
 * managers), LOST a loss (reason). Anything else is still sent as a forward
 * move, so the pipeline's own rule refuses it with its reason ("Expected
 * CONTACTED") — the board never decides a refusal by itself.
 */
export function moveKind(from: ColdStage, to: BoardTarget): 'forward' | 'rollback' | 'lost' {
  if (to === 'LOST') return 'lost';
  if (to !== nextStage(from) && to === previousStage(from)) return 'rollback';
  return 'forward';
}
