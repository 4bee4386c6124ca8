import { describe, expect, it } from 'vitest';
import { InvalidTransitionError, ReasonRequiredError } from '../../../core/errors.js';
import { COLD_STAGES, type ColdStage } from '../../../core/leads/lead.constants.js';
import { checkRollback, checkTransition } from '../../../core/leads/cold-pipeline.rules.js';

// §3 as a table: the only moves a user may make by hand.
const ALLOWED = new Set(['NEW>CONTACTED', 'CONTACTED>QUALIFIED', 'NEW>LOST', 'CONTACTED>LOST', 'QUALIFIED>LOST']);
const EXPECTED: Record<ColdStage, ColdStage | null> = {
  NEW: 'CONTACTED', CONTACTED: 'QUALIFIED', QUALIFIED: null, TRANSFERRED: null, LOST: null,
};

describe('cold pipeline rules (§3)', () => {
  for (const from of COLD_STAGES) {
    for (const to of COLD_STAGES) {
      const key = `${from}>${to}`;
      if (ALLOWED.has(key)) {
        it(`allows ${from} → ${to}`, () => {
          expect(() => checkTransition(from, to, 'a reason')).not.toThrow();
        });
      } else {
        it(`refuses ${from} → ${to}, naming the expected stage`, () => {
          let error: unknown;
          try { checkTransition(from, to, 'a reason'); } catch (e) { error = e; }
          expect(error).toBeInstanceOf(InvalidTransitionError);
          expect((error as InvalidTransitionError).expectedStage).toBe(EXPECTED[from]);
          if (EXPECTED[from] && to !== 'TRANSFERRED') {
            expect((error as Error).message).toContain(`Expected ${EXPECTED[from]}`);
          }
        });
      }
    }
  }

  it('refuses skipping a stage with "Expected CONTACTED"', () => {
    expect(() => checkTransition('NEW', 'QUALIFIED', null)).toThrow('Expected CONTACTED');
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
