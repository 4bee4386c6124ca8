import { sql } from 'kysely';
import type { Db, Lead, User } from '../database.js';
import { CapacityFullError, ForbiddenError, InactiveAssigneeError, NotFoundError, ValidationError } from '../errors.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { countOpenLeads } from './assignment.service.js';
import { ASSIGNABLE_ROLES, assertCan } from '../access/access-policy.js';
import { OPEN_STAGES } from './lead.constants.js';
import { recordHistory } from './lead-history.repository.js';
import { lockLead } from './lead-row.lock.js';
import { isTerminal } from './cold-pipeline.rules.js';
import { withdrawLeadChangeNotice } from '../notices/lead-change-notice.service.js';

export interface AssignableUser { user: User; load: number; capacity: number }

/** Reassigning is for managers and admins (§1). Throws ForbiddenError. */
export const assertCanReassign = (actor: User): void => assertCan(actor, 'leads.reassign');

/**
 * Everyone a lead can be reassigned to (§4): active agents and managers,
 * each with their load (open, live leads assigned to them, counted now) and
 * capacity, in ONE grouped query; ordered by name. Unavailable (/off) users
 * are listed too: a manager may still choose them on purpose.
 */
export async function listAssignableUsers(db: Db): Promise<AssignableUser[]> {
  const rows = await db.selectFrom('users as u')
    .leftJoin('leads as l', (join) => join
      .onRef('l.assigned_to', '=', 'u.id')
      .on('l.stage', 'in', OPEN_STAGES)
      .on('l.is_deleted', '=', false))
    .selectAll('u')
    .select((eb) => eb.fn.count<number>('l.id').as('load'))
    .where('u.status', '=', 'active').where('u.role', 'in', ASSIGNABLE_ROLES)
    .groupBy('u.id')
    .orderBy('u.full_name').orderBy('u.id')
    .execute();
  return rows.map(({ load, ...user }) => ({ user, load: Number(load), capacity: user.capacity }));
}

/**
 * Locks the target user's row (like pickAssignee) and checks they can take
 * the lead: an active agent or manager and, when the lead is open
 * (`countsAgainstCapacity`), load below capacity — the load re-counted under
 * the lock, so two concurrent reassignments never overfill anyone.
 * Throws NotFoundError('user'), InactiveAssigneeError, CapacityFullError.
 */
export async function claimAssignee(trx: Db, userId: number, countsAgainstCapacity: boolean): Promise<User> {
  const user = await trx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
  if (!user) throw new NotFoundError('user', userId);
  if (user.status !== 'active' || !ASSIGNABLE_ROLES.includes(user.role)) {
    throw new InactiveAssigneeError(user.id, user.full_name, user.status);
  }
  if (countsAgainstCapacity) {
    const load = await countOpenLeads(trx, user.id);
    if (load >= user.capacity) throw new CapacityFullError(user.id, user.full_name, load, user.capacity);
  }
  return user;
}

/**
 * Tells the people a reassignment concerns, through the outbox (same
 * transaction): the card to the new assignee, a short notice to the one who
 * lost it. Nobody is told about what they did themselves. A lead_changed
 * notice still waiting for the previous assignee is withdrawn: the lead is
 * no longer theirs, and lead_reassigned_away says so.
 */
export async function notifyReassignment(
  trx: Db, lead: Lead, p: { fromUserId: number | null; toUserId: number | null; actorId: number },
): Promise<void> {
  if (p.fromUserId !== p.toUserId) await withdrawLeadChangeNotice(trx, { leadId: lead.id, userId: p.fromUserId });
  if (p.toUserId !== null && p.toUserId !== p.actorId) {
    await queueMessage(trx, { user: p.toUserId }, { kind: 'lead_card', leadId: lead.id, reason: 'reassigned', byUserId: p.actorId });
  }
  if (p.fromUserId !== null && p.fromUserId !== p.toUserId && p.fromUserId !== p.actorId) {
    await queueMessage(trx, { user: p.fromUserId }, {
      kind: 'lead_reassigned_away', leadId: lead.id, toUserId: p.toUserId, byUserId: p.actorId,
    });
  }
}

export interface ReassignRequest {
  leadId: number;
  toUserId: number;
  actor: User;
  /** The lead version the manager's card showed (§3). */
  expectedVersion?: number;
}

export interface ReassignResult { lead: Lead; fromUserId: number | null; toUser: User }

/**
 * A manager or admin gives a lead to someone else (§4). Under the lead's
 * row lock (version checked) and the target's row lock: the target must be
 * an active agent or manager with room (fresh load < capacity; a closed lead
 * adds no load, so only open leads are checked). Bumps the version, writes
 * ASSIGNED history {from_user_id, to_user_id, by: 'manual'}, queues the card
 * to the new assignee ('lead_card') and 'lead_reassigned_away' to the
 * previous one. Not activity with the customer: last_activity_at stays.
 * Throws ForbiddenError (agents), NotFoundError('lead' | 'user'),
 * LeadChangedError, ValidationError('assignee': already theirs),
 * InactiveAssigneeError, CapacityFullError.
 */
export async function reassignLead(db: Db, req: ReassignRequest): Promise<ReassignResult> {
  assertCanReassign(req.actor);
  return inTransaction(db, async (trx) => {
    const lead = await lockLead(trx, req.leadId, { deleted: false, expectedVersion: req.expectedVersion });
    if (lead.assigned_to === req.toUserId) throw new ValidationError('assignee', 'the lead is already assigned to them');
    const toUser = await claimAssignee(trx, req.toUserId, !isTerminal(lead.stage));
    const updated = await trx.updateTable('leads')
      .set({ assigned_to: toUser.id, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', lead.id).returningAll().executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: lead.id, action: 'ASSIGNED', actor_user_id: req.actor.id,
      details: { from_user_id: lead.assigned_to, to_user_id: toUser.id, by: 'manual' },
    });
    await notifyReassignment(trx, updated, { fromUserId: lead.assigned_to, toUserId: toUser.id, actorId: req.actor.id });
    return { lead: updated, fromUserId: lead.assigned_to, toUser };
  });
}
