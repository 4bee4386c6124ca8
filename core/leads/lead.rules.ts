import { InvalidTransitionError, ReasonRequiredError } from '../errors.js';
import { type ColdStage, PHONE_TEXT_MIN_DIGITS, ROLLBACK_REASON_MIN, TERMINAL_STAGES } from './lead.constants.js';

const NEXT: Partial<Record<ColdStage, ColdStage>> = { NEW: 'CONTACTED', CONTACTED: 'QUALIFIED' };
const PREVIOUS: Partial<Record<ColdStage, ColdStage>> = { CONTACTED: 'NEW', QUALIFIED: 'CONTACTED' };

/** The one stage a manual move may go to from `stage` (§3); null past QUALIFIED. */
export const nextStage = (stage: ColdStage): ColdStage | null => NEXT[stage] ?? null;
/** The stage a rollback returns to (§3); null for NEW and terminal stages. */
export const previousStage = (stage: ColdStage): ColdStage | null => PREVIOUS[stage] ?? null;
export const isTerminal = (stage: ColdStage): boolean => TERMINAL_STAGES.includes(stage);

/**
 * True when phone text the parser could not read still has enough digits
 * (PHONE_TEXT_MIN_DIGITS) for a person to try calling (§11): then it counts
 * as the lead's contact. "call me" or "12-34" does not.
 */
export const isUsablePhoneText = (text: string | null | undefined): boolean =>
  (text?.match(/\d/g)?.length ?? 0) >= PHONE_TEXT_MIN_DIGITS;

/**
 * Checks a forward move or LOST (§3). Throws InvalidTransitionError naming
 * the expected next stage ("Expected CONTACTED"), or ReasonRequiredError when
 * LOST has no reason. TRANSFERRED is refused here: only the transfer to sales
 * (§8) reaches it.
 */
export function checkTransition(from: ColdStage, to: ColdStage, reason: string | null): void {
  if (isTerminal(from)) throw new InvalidTransitionError(from, to, null);
  if (to === 'LOST') {
    if (!reason?.trim()) throw new ReasonRequiredError(1);
    return;
  }
  if (to === 'TRANSFERRED') {
    throw new InvalidTransitionError(from, to, nextStage(from), 'TRANSFERRED is reached only through the transfer to sales');
  }
  if (to !== nextStage(from)) throw new InvalidTransitionError(from, to, nextStage(from));
}

/**
 * Checks a one-step rollback (§3): CONTACTED → NEW, QUALIFIED → CONTACTED,
 * reason ≥ 10 characters. Returns the target stage. Roles are checked by the caller.
 */
export function checkRollback(from: ColdStage, reason: string | null): ColdStage {
  const to = previousStage(from);
  if (!to) throw new InvalidTransitionError(from, from, null, `${from} cannot be rolled back`);
  if ((reason?.trim().length ?? 0) < ROLLBACK_REASON_MIN) throw new ReasonRequiredError(ROLLBACK_REASON_MIN);
  return to;
}
