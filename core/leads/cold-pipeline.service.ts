import { sql } from 'kysely';
import { LeadChangedError } from '../errors.js';
import type { Db, Lead, User } from '../database.js';
import { inTransaction } from '../transaction.js';
import { assertCan, can, canViewLead } from '../access/access-policy.js';
import { LOST_REASON_CODES, type ColdStage, type LostReasonCode } from './lead.constants.js';
import { ValidationError } from '../errors.js';
import { updateLeadWithHistory } from './lead-history.repository.js';
import { readLeadForChange } from './lead-row.lock.js';
import { checkRollback, checkTransition, isTerminal, nextStage, previousStage } from './cold-pipeline.rules.js';
import { sanitizeText } from './lead.sanitize.js';
import { noticeLeadChange } from '../notices/lead-change-notice.service.js';

export const LEAD_ACTIONS = [
  'contacted', 'qualified', 'lost', 'rollback', 'reassign', 'note', 'notes', 'attachment', 'edit', 'history', 'analyze', 'delete',
  'transfer', 'deal',
] as const;
export type LeadAction = (typeof LEAD_ACTIONS)[number];

/** The stage each stage action moves to. */
export const ACTION_STAGE = { contacted: 'CONTACTED', qualified: 'QUALIFIED', lost: 'LOST' } as const satisfies Partial<Record<LeadAction, ColdStage>>;

/**
 * What `user` may do with `lead` now (§3–§6): the next stage, LOST while
 * open, rollback and reassign for managers/admins, editing fields while
 * open, notes, attachments and history for anyone who sees it, an AI
 * analysis while open (§7), delete for
 * admins. Pure; the same rules are enforced again by each action.
 */
export function availableActions(lead: Lead, user: User): LeadAction[] {
  if (!canViewLead(user, lead) || lead.is_deleted) return [];
  const actions: LeadAction[] = [];
  const next = nextStage(lead.stage);
  if (next === 'CONTACTED') actions.push('contacted');
  if (next === 'QUALIFIED') actions.push('qualified');
  if (!isTerminal(lead.stage)) actions.push('lost');
  // §8: offered on every QUALIFIED lead; the gates are checked when it is tapped, so a refusal can say what to fix.
  if (lead.stage === 'QUALIFIED') actions.push('transfer');
  if (can(user, 'leads.rollback') && previousStage(lead.stage)) actions.push('rollback');
  if (can(user, 'leads.reassign') && !isTerminal(lead.stage)) actions.push('reassign');
  actions.push('note', 'notes', 'attachment');
  if (!isTerminal(lead.stage)) actions.push('edit');
  actions.push('history');
  // §7 on demand: an open lead's score can be asked for again; a closed lead's stays as it was.
  if (!isTerminal(lead.stage)) actions.push('analyze');
  if (can(user, 'leads.delete')) actions.push('delete');
  return actions;
}

export interface TransitionRequest {
  leadId: number;
  to: ColdStage;
  actor: User;
  /** A typed reason; for LOST, either this or reasonCode. */
  reason?: string | null;
  /** A preset lost reason (§3), stored as its code. */
  reasonCode?: LostReasonCode | null;
  /** The lead version the user saw; a mismatch means the card is stale. */
  expectedVersion?: number;
  /** Core's clock, for the assignee's notice (noticeLeadChange). */
  now?: Date;
}

/** What a stage change did: `replayed` when this exact change had just been applied by the same person (a double tap). */
export interface StageChange { lead: Lead; replayed: boolean }

/**
 * Moves a lead one step forward or to LOST (§3), writing STAGE_CHANGED
 * history, touching last_activity_at and telling its assignee when someone
 * else moved it (noticeLeadChange). The change applies only to the
 * version read (changeStage), so of two concurrent moves exactly one wins;
 * with expectedVersion the other gets LeadChangedError — except the same person's second tap of the same
 * move, which returns the lead as the first tap left it (replayed: true,
 * nothing applied twice), so the winner of a double tap sees their result.
 * Throws NotFoundError, ForbiddenError, LeadChangedError,
 * InvalidTransitionError (with expectedStage), ReasonRequiredError.
 */
export async function changeLeadStage(db: Db, req: TransitionRequest): Promise<StageChange> {
  const reasonCode = req.reasonCode ?? null;
  if (reasonCode !== null && (req.to !== 'LOST' || !LOST_REASON_CODES.includes(reasonCode))) {
    throw new ValidationError('reasonCode', `a preset lost reason is one of ${LOST_REASON_CODES.join(', ')}, for LOST only`);
  }
  // A preset reason replaces the typed one, so the lead never carries both.
  const reason = reasonCode ? null : sanitizeText(req.reason);
  return changeStage(db, req, 'STAGE_CHANGED', (lead) => {
    checkTransition(lead.stage, req.to, reason ?? reasonCode);
    return req.to;
  }, { text: reason, code: reasonCode }, req.to);
}

/** changeLeadStage, returning the lead. */
export async function transitionStage(db: Db, req: TransitionRequest): Promise<Lead> {
  return (await changeLeadStage(db, req)).lead;
}

/**
 * One step back (§3): CONTACTED → NEW, QUALIFIED → CONTACTED; managers and
 * admins only; reason ≥ 10 characters. Writes ROLLBACK history.
 * Throws as changeLeadStage.
 */
export async function rollbackLeadStage(
  db: Db, req: Omit<TransitionRequest, 'to'> & { reason: string },
): Promise<StageChange> {
  assertCan(req.actor, 'leads.rollback');
  const reason = sanitizeText(req.reason);
  return changeStage(db, req, 'ROLLBACK', (lead) => checkRollback(lead.stage, reason), { text: reason, code: null }, null);
}

/** rollbackLeadStage, returning the lead. */
export async function rollbackStage(db: Db, req: Omit<TransitionRequest, 'to'> & { reason: string }): Promise<Lead> {
  return (await rollbackLeadStage(db, req)).lead;
}

/** Tries of a change whose lead moved between its read and its update, before LeadChangedError. */
const CHANGE_TRIES = 5;

/**
 * Optimistic (issue 14): the lead is read without a lock, the rules
 * decide, and ONE statement applies the change only if the lead is still
 * at the version read, with its history and outbound event
 * (updateLeadWithHistory) — no transaction held open across round trips.
 * A transaction is opened only when the assignee is told (the notice is
 * written with the change). Of two concurrent moves exactly one matches;
 * the other reads again and is judged on what it finds, as a lock waiter
 * would be: a stale card gets LeadChangedError (or its replay).
 */
async function changeStage(
  db: Db,
  req: Omit<TransitionRequest, 'to'>,
  action: 'STAGE_CHANGED' | 'ROLLBACK',
  decide: (lead: Lead) => ColdStage,
  reason: { text: string | null; code: LostReasonCode | null },
  /** The target when it is known up front (forward moves); a rollback's follows from the stage. */
  target: ColdStage | null,
): Promise<StageChange> {
  for (let tries = 1; ; tries++) {
    const lead = await readLeadForChange(db, req.leadId, { deleted: false, viewer: req.actor });
    if (req.expectedVersion !== undefined && lead.version !== req.expectedVersion) {
      if (await isReplay(db, lead, { ...req, expectedVersion: req.expectedVersion }, action, target)) {
        return { lead, replayed: true };
      }
      throw new LeadChangedError(lead.id, lead.version);
    }
    const to = decide(lead);
    const update = db.updateTable('leads')
      .set({
        stage: to,
        lost_reason: to === 'LOST' ? reason.text : lead.lost_reason,
        lost_reason_code: to === 'LOST' ? reason.code : lead.lost_reason_code,
        version: sql`version + 1`,
        last_activity_at: sql`now()`,
        updated_at: sql`now()`,
        // Speed-to-lead (issue 11): the first move to CONTACTED is the first contact.
        ...(to === 'CONTACTED' && !lead.first_contacted_at ? { first_contacted_at: sql<Date>`now()` } : {}),
      })
      .where('id', '=', lead.id).where('version', '=', lead.version).where('is_deleted', '=', false)
      .returningAll();
    const history = {
      action, actor_user_id: req.actor.id, from_stage: lead.stage, to_stage: to, reason: reason.text, reason_code: reason.code,
    };
    const apply = async (d: Db): Promise<Lead | undefined> => {
      const updated = await updateLeadWithHistory(d, lead.id, update, history);
      if (updated) {
        await noticeLeadChange(d, {
          lead: updated, actorId: req.actor.id,
          change: { action: action === 'ROLLBACK' ? 'rolled_back' : 'stage_changed', from: lead.stage, to }, now: req.now,
        });
      }
      return updated;
    };
    const toldAssignee = lead.assigned_to !== null && lead.assigned_to !== req.actor.id;
    const updated = toldAssignee ? await inTransaction(db, apply) : await apply(db);
    if (updated) return { lead: updated, replayed: false };
    if (tries >= CHANGE_TRIES) throw new LeadChangedError(lead.id, lead.version);
  }
}

/**
 * The lead is exactly one change past the version the card showed, and
 * that change is this very request by this very person: the latest history
 * row has their id, the same action and (for forward moves) the same target.
 */
async function isReplay(
  trx: Db, lead: Lead, req: { actor: User; expectedVersion: number },
  action: 'STAGE_CHANGED' | 'ROLLBACK', target: ColdStage | null,
): Promise<boolean> {
  if (lead.version !== req.expectedVersion + 1) return false;
  const last = await trx.selectFrom('lead_history').select(['action', 'actor_user_id', 'to_stage'])
    .where('lead_id', '=', lead.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return last?.actor_user_id === req.actor.id && last.action === action
    && last.to_stage === lead.stage && (target === null || target === lead.stage);
}
