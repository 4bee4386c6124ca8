import { sql, type Kysely } from 'kysely';
import type { Database, User } from '../database.js';
import { DomainError, ForbiddenError } from '../errors.js';
import { pickAssignee } from '../leads/assignment.service.js';
import { OPEN_STAGES } from '../leads/lead.constants.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import { notifyLeadAudience } from '../notifications/notification.repository.js';
import { assertAdmin, updateManagedUser } from './user-admin.service.js';

/** What happened to one of the deactivated user's open leads. */
export interface ReassignmentResult {
  id: number;
  status: 'ok' | 'error';
  /** The new owner; null when nobody had capacity (the lead waits, unassigned, and managers were told). */
  assignedTo: number | null;
  message: string;
}

export interface DeactivationResult { user: User; results: ReassignmentResult[] }

/**
 * An admin switches a user off (§1, §4). The status flips first, in its own
 * commit, so the user loses access on their very next update (the bot loads
 * the user per update) and is no longer a candidate for automatic assignment.
 * Then each of their open leads is reassigned by the §4 rule (pickAssignee:
 * the active, available agent with the most free capacity) with ASSIGNED
 * history {from_user_id, to_user_id, by: 'deactivation'}, version bumped, and
 * the new owner told ('lead_card' in the outbox, payload {reassigned_by:
 * actor, by: 'deactivation'}); a lead nobody can take is
 * left unassigned and the managers get 'unassigned_lead'.
 *
 * One transaction per lead, not one overall: each holds the lead's row and
 * the chosen agent's row only briefly (intake keeps assigning meanwhile), and
 * one failing lead never undoes the others. Calling it again for a user who
 * is already inactive finishes an interrupted run (only leads still theirs
 * are touched).
 *
 * `db` must be the root handle. Returns per-lead results; never throws for
 * one lead. Throws ForbiddenError (actor not an admin, or themselves),
 * NotFoundError('user'), ValidationError('user') for pending/rejected people.
 */
export async function deactivateUser(
  db: Kysely<Database>, p: { userId: number; actor: User },
): Promise<DeactivationResult> {
  assertAdmin(p.actor);
  if (p.userId === p.actor.id) throw new ForbiddenError('Admins cannot deactivate themselves');
  const user = await updateManagedUser(db, p.userId, { status: 'inactive' });

  const leads = await db.selectFrom('leads').select('id')
    .where('assigned_to', '=', user.id).where('stage', 'in', OPEN_STAGES).where('is_deleted', '=', false)
    .orderBy('id').execute();
  const results: ReassignmentResult[] = [];
  for (const { id } of leads) {
    try {
      results.push(await reassignAway(db, id, user.id, p.actor.id));
    } catch (err) {
      const message = err instanceof DomainError ? err.message : 'Unexpected error';
      results.push({ id, status: 'error', assignedTo: null, message });
    }
  }
  return { user, results };
}

/** Moves one lead off `fromUserId` in its own transaction, if it is still theirs and open. */
async function reassignAway(
  db: Kysely<Database>, leadId: number, fromUserId: number, actorId: number,
): Promise<ReassignmentResult> {
  return db.transaction().execute(async (trx) => {
    // Lead first, then the chosen agent (inside pickAssignee): the same lock order as intake.
    const lead = await trx.selectFrom('leads').selectAll().where('id', '=', leadId).forUpdate().executeTakeFirst();
    if (!lead || lead.is_deleted || lead.assigned_to !== fromUserId || !OPEN_STAGES.includes(lead.stage)) {
      return { id: leadId, status: 'ok', assignedTo: lead?.assigned_to ?? null, message: 'No longer theirs' };
    }
    const assignee = await pickAssignee(trx);
    const updated = await trx.updateTable('leads')
      .set({ assigned_to: assignee, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', leadId).returningAll().executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: leadId, action: 'ASSIGNED', actor_user_id: actorId,
      details: { from_user_id: fromUserId, to_user_id: assignee, by: 'deactivation' },
    });
    // reassigned_by: the card says who handed it over (bot/notifications/reassigned.ts).
    await notifyLeadAudience(trx, updated, assignee !== null ? 'lead_card' : 'unassigned_lead',
      { reassigned_by: actorId, by: 'deactivation' });
    return assignee !== null
      ? { id: leadId, status: 'ok', assignedTo: assignee, message: `Reassigned to user ${assignee}` }
      : { id: leadId, status: 'ok', assignedTo: null, message: 'Nobody has capacity: left unassigned' };
  });
}
