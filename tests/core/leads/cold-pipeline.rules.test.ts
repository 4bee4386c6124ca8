import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, ReasonRequiredError, type TransitionRule } from '../../../core/errors.js';
import { COLD_STAGES, type ColdStage } from '../../../core/leads/lead.constants.js';
import { checkRollback, checkTransition } from '../../../core/leads/cold-pipeline.rules.js';

// §3 as a table: the only moves a user may make by hand.
const ALLOWED = new Set(['NEW>CONTACTED', 'CONTACTED>QUALIFIED', 'NEW>LOST', 'CONTACTED>LOST', 'QUALIFIED>LOST']);
const NEXT: Record<ColdStage, ColdStage | null> = {
  NEW: 'CONTACTED', CONTACTED: 'QUALIFIED', QUALIFIED: null, TRANSFERRED: null, LOST: null,
};
const ORDER: readonly ColdStage[] = ['NEW', 'CONTACTED', 'QUALIFIED'];

/** Which rule refuses from → to, and the next stage the refusal names. */
function refusal(from: ColdStage, to: ColdStage): { rule: TransitionRule; expected: ColdStage | null } {
  if (from === 'TRANSFERRED' || from === 'LOST') return { rule: 'terminal', expected: null };
  if (to === 'TRANSFERRED') return { rule: 'transfer_only', expected: NEXT[from] };
  if (to === from) return { rule: 'same', expected: NEXT[from] };
  if (ORDER.indexOf(to) < ORDER.indexOf(from)) return { rule: 'backward', expected: null };
  return { rule: 'skip', expected: NEXT[from] };
}

describe('cold pipeline rules (§3)', () => {
  for (const from of COLD_STAGES) {
    for (const to of COLD_STAGES) {
      const key = `${from}>${to}`;
      if (ALLOWED.has(key)) {
        it(`allows ${from} → ${to}`, () => {
          expect(() => checkTransition(from, to, 'a reason')).not.toThrow();
        });
      } else {
        const { rule, expected } = refusal(from, to);
        it(`refuses ${from} → ${to} by the ${rule} rule`, () => {
          let error: unknown;
          try { checkTransition(from, to, 'a reason'); } catch (e) { error = e; }
          expect(error).toBeInstanceOf(InvalidTransitionError);
          expect(error).toMatchObject({ rule, expectedStage: expected });
          if (rule === 'skip') expect((error as Error).message).toContain(`Expected ${expected}`);
        });
      }
    }
  }

  it('refuses skipping a stage with "Expected CONTACTED"', () => {
    expect(() => checkTransition('NEW', 'QUALIFIED', null)).toThrow('Expected CONTACTED');
  });

  it('says a QUALIFIED lead goes back to CONTACTED only by a rollback — not that QUALIFIED is terminal', () => {
    expect(() => checkTransition('QUALIFIED', 'CONTACTED', null))
      .toThrow('Cannot move from QUALIFIED to CONTACTED: an earlier stage is reached only by a rollback');
  });

  it('refuses LOST without a reason, or with only spaces', () => {
    expect(() => checkTransition('NEW', 'LOST', null)).toThrow(ReasonRequiredError);
    expect(() => checkTransition('CONTACTED', 'LOST', '   ')).toThrow(ReasonRequiredError);
  });

  it('rolls back one step only, from CONTACTED and QUALIFIED', () => {
    expect(checkRollback('CONTACTED', 'customer asked to restart')).toBe('NEW');
    expect(checkRollback('QUALIFIED', 'qualified by mistake, sorry')).toBe('CONTACTED');
    for (const from of ['NEW', 'TRANSFERRED', 'LOST'] as const) {
      expect(() => checkRollback(from, 'a long enough reason')).toThrow(InvalidTransitionError);
    }
  });

  it('refuses a rollback reason shorter than 10 characters', () => {
    expect(() => checkRollback('CONTACTED', 'too short')).toThrow(ReasonRequiredError);
    expect(() => checkRollback('CONTACTED', '  123456789  ')).toThrow(ReasonRequiredError);
    expect(checkRollback('CONTACTED', '1234567890')).toBe('NEW');
  });
});
