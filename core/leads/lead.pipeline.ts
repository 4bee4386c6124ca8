import { sql } from 'kysely';
import { ForbiddenError } from '../errors.js';
import type { Db, Lead, User } from '../database.js';
import { inTransaction } from '../transaction.js';
import { isManagerRole } from '../users/user.constants.js';
import { canViewLead } from './lead.access.js';
import type { ColdStage } from './lead.constants.js';
import { recordHistory } from './lead-history.repository.js';
import { lockLead } from './lead-row.lock.js';
import { checkRollback, checkTransition, isTerminal, nextStage, previousStage } from './lead.rules.js';
import { sanitizeText } from './lead.sanitize.js';

export const LEAD_ACTIONS = [
  'contacted', 'qualified', 'lost', 'rollback', 'reassign', 'note', 'notes', 'attach', 'edit', 'history', 'delete',
] as const;
export type LeadAction = (typeof LEAD_ACTIONS)[number];

/** The stage each stage action moves to. */
export const ACTION_STAGE = { contacted: 'CONTACTED', qualified: 'QUALIFIED', lost: 'LOST' } as const satisfies Partial<Record<LeadAction, ColdStage>>;

/**
 * What `user` may do with `lead` now (§3–§6): the next stage, LOST while
 * open, rollback and reassign for managers/admins, editing fields while
 * open, notes, attachments and history for anyone who sees it, delete for
 * admins. Pure; the same rules are enforced again by each action.
 */
export function availableActions(lead: Lead, user: User): LeadAction[] {
  if (!canViewLead(user, lead) || lead.is_deleted) return [];
  const actions: LeadAction[] = [];
  const next = nextStage(lead.stage);
  if (next === 'CONTACTED') actions.push('contacted');
  if (next === 'QUALIFIED') actions.push('qualified');
  if (!isTerminal(lead.stage)) actions.push('lost');
  if (isManagerRole(user.role) && previousStage(lead.stage)) actions.push('rollback');
  if (isManagerRole(user.role) && !isTerminal(lead.stage)) actions.push('reassign');
  actions.push('note', 'notes', 'attach');
  if (!isTerminal(lead.stage)) actions.push('edit');
  actions.push('history');
  if (user.role === 'admin') actions.push('delete');
  return actions;
}

export interface TransitionRequest {
  leadId: number;
  to: ColdStage;
  actor: User;
  reason?: string | null;
  /** The lead version the user saw; a mismatch means the card is stale. */
  expectedVersion?: number;
}

/**
 * Moves a lead one step forward or to LOST (§3), writing STAGE_CHANGED
 * history and touching last_activity_at. The lead row is locked, so of two
 * concurrent moves exactly one wins; with expectedVersion the other gets
 * LeadChangedError (a double-tap never applies twice).
 * Throws NotFoundError, ForbiddenError, LeadChangedError,
 * InvalidTransitionError (with expectedStage), ReasonRequiredError.
 */
export async function transitionStage(db: Db, req: TransitionRequest): Promise<Lead> {
  const reason = sanitizeText(req.reason);
  return changeStage(db, req, (lead) => {
    checkTransition(lead.stage, req.to, reason);
    return { to: req.to, action: 'STAGE_CHANGED' };
  }, reason);
}

/**
 * One step back (§3): CONTACTED → NEW, QUALIFIED → CONTACTED; managers and
 * admins only; reason ≥ 10 characters. Writes ROLLBACK history.
 * Throws as transitionStage.
 */
export async function rollbackStage(
  db: Db, req: Omit<TransitionRequest, 'to'> & { reason: string },
): Promise<Lead> {
  if (!isManagerRole(req.actor.role)) throw new ForbiddenError('Only managers and admins roll stages back');
  const reason = sanitizeText(req.reason);
  return changeStage(db, req, (lead) => ({ to: checkRollback(lead.stage, reason), action: 'ROLLBACK' }), reason);
}

async function changeStage(
  db: Db,
  req: Omit<TransitionRequest, 'to'>,
  decide: (lead: Lead) => { to: ColdStage; action: 'STAGE_CHANGED' | 'ROLLBACK' },
  reason: string | null,
): Promise<Lead> {
  return inTransaction(db, async (trx) => {
    const lead = await lockLead(trx, req.leadId, { deleted: false, viewer: req.actor, expectedVersion: req.expectedVersion });
    const { to, action } = decide(lead);
    const updated = await trx.updateTable('leads')
      .set({
        stage: to,
        lost_reason: to === 'LOST' ? reason : lead.lost_reason,
        version: sql`version + 1`,
        last_activity_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', lead.id).returningAll().executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: lead.id, action, actor_user_id: req.actor.id, from_stage: lead.stage, to_stage: to, reason,
    });
    return updated;
  });
}
