import type { Deal } from '../database.js';
import { DealTransitionError, ReasonRequiredError, ValidationError } from '../errors.js';
import { DEAL_LOST_REASON_MAX, TERMINAL_DEAL_STAGES, type DealStage } from './deal.constants.js';

const NEXT: Partial<Record<DealStage, DealStage>> = { NEW: 'KYC', KYC: 'AGREEMENT', AGREEMENT: 'PAID' };
const FORWARD: readonly DealStage[] = ['NEW', 'KYC', 'AGREEMENT', 'PAID'];

/** The one stage a deal may move forward to from `stage` (§9); null for PAID and LOST. */
export const nextDealStage = (stage: DealStage): DealStage | null => NEXT[stage] ?? null;
export const isTerminalDeal = (stage: DealStage): boolean => (TERMINAL_DEAL_STAGES as readonly DealStage[]).includes(stage);

const DAY_MS = 86_400_000;

/** §9: whole days from the deal's creation to `closedAt` (never negative). */
export const durationDays = (createdAt: Date, closedAt: Date): number =>
  Math.max(0, Math.floor((closedAt.getTime() - createdAt.getTime()) / DAY_MS));

/**
 * Checks a deal's move (§9): one step forward NEW → KYC → AGREEMENT → PAID,
 * or LOST from any open stage with a reason of 1–512 characters. AGREEMENT
 * needs an amount (the one given with the move, or the deal's own), and so
 * does PAID. Pure. Throws DealTransitionError (with the rule and the
 * expected next stage), ReasonRequiredError, ValidationError('reason').
 */
export function checkDealTransition(
  deal: Pick<Deal, 'id' | 'stage' | 'amount_minor'>, to: DealStage, p: { reason?: string | null; hasAmount?: boolean } = {},
): void {
  const { id, stage: from } = deal;
  if (isTerminalDeal(from)) throw new DealTransitionError(id, from, to, null, 'terminal');
  if (to === 'LOST') {
    const reason = p.reason?.trim() ?? '';
    if (!reason) throw new ReasonRequiredError(1);
    if ([...reason].length > DEAL_LOST_REASON_MAX) {
      throw new ValidationError('reason', `at most ${DEAL_LOST_REASON_MAX} characters`);
    }
    return;
  }
  const expected = nextDealStage(from);
  if (to === from) throw new DealTransitionError(id, from, to, expected, 'same');
  if (FORWARD.indexOf(to) < FORWARD.indexOf(from)) throw new DealTransitionError(id, from, to, expected, 'backward');
  if (to !== expected) throw new DealTransitionError(id, from, to, expected, 'skip');
  if ((to === 'AGREEMENT' || to === 'PAID') && !p.hasAmount && deal.amount_minor === null) {
    throw new DealTransitionError(id, from, to, expected, 'amount_required');
  }
}
