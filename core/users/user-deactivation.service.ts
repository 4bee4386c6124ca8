import { sql, type Kysely } from 'kysely';
import type { Database, User } from '../database.js';
import { DomainError, ForbiddenError } from '../errors.js';
import { pickAssignee } from '../leads/assignment.service.js';
import { OPEN_STAGES } from '../leads/lead.constants.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { assertAdmin, assertNotConfiguredAdmin, updateManagedUser } from './user-admin.service.js';
import { getUser } from './user.service.js';

/** What happened to one of the deactivated user's open leads. */
export interface ReassignmentResult {
  id: number;
  status: 'ok' | 'error';
  /** The new owner; null when nobody had capacity (the lead waits, unassigned, and managers were told). */
  assignedTo: number | null;
  /** The new owner's name, for the admin's summary. */
  assignedToName: string | null;
  message: string;
  /** The refusal, for an edge to say in the reader's language. */
  error?: DomainError;
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
 * one lead. The person is told their account is off (outbox, with the
 * status change). Throws ForbiddenError (actor not an admin, or
 * themselves), ConfiguredAdminError (an admin by ADMIN_TELEGRAM_IDS, whom
 * the next /start would re-activate), NotFoundError('user'),
 * ValidationError('user') for pending/rejected people.
 */
export async function deactivateUser(
  db: Kysely<Database>, p: { userId: number; actor: User; configuredAdmins?: readonly number[] },
): Promise<DeactivationResult> {
  assertAdmin(p.actor);
  if (p.userId === p.actor.id) throw new ForbiddenError('Admins cannot deactivate themselves');
  const user = await inTransaction(db, async (trx) => {
    const before = await getUser(trx, p.userId);
    assertNotConfiguredAdmin(before, p.configuredAdmins);
    const updated = await updateManagedUser(trx, p.userId, { status: 'inactive' });
    if (before.status !== 'inactive') await queueMessage(trx, { user: updated.id }, { kind: 'account_deactivated' });
    return updated;
  });

  const leads = await db.selectFrom('leads').select('id')
    .where('assigned_to', '=', user.id).where('stage', 'in', OPEN_STAGES).where('is_deleted', '=', false)
    .orderBy('id').execute();
  const results: ReassignmentResult[] = [];
  for (const { id } of leads) {
    try {
      results.push(await reassignAway(db, id, user.id, p.actor.id));
    } catch (err) {
      const known = err instanceof DomainError ? err : undefined;
      results.push({ id, status: 'error', assignedTo: null, assignedToName: null, message: known?.message ?? 'Unexpected error', ...(known ? { error: known } : {}) });
    }
  }
  return { user, results };
}

/** Moves one lead off `fromUserId` in its own transaction, if it is still theirs and open. */
async function reassignAway(
  db: Kysely<Database>, leadId: number, fromUserId: number, actorId: number,
): Promise<ReassignmentResult> {
  return inTransaction(db, async (trx) => {
    // Lead first, then the chosen agent (inside pickAssignee): the same lock order as intake.
    const lead = await trx.selectFrom('leads').selectAll().where('id', '=', leadId).forUpdate().executeTakeFirst();
    if (!lead || lead.is_deleted || lead.assigned_to !== fromUserId || !OPEN_STAGES.includes(lead.stage)) {
      return { id: leadId, status: 'ok', assignedTo: lead?.assigned_to ?? null, assignedToName: null, message: 'No longer theirs' };
    }
    const assignee = await pickAssignee(trx);
    const updated = await trx.updateTable('leads')
      .set({ assigned_to: assignee, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', leadId).returningAll().executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: leadId, action: 'ASSIGNED', actor_user_id: actorId,
      details: { from_user_id: fromUserId, to_user_id: assignee, by: 'deactivation' },
    });
    // byUserId: the card says who handed it over.
    await queueMessage(trx, { leadAudience: updated }, assignee !== null
      ? { kind: 'lead_card', leadId, reason: 'deactivation', byUserId: actorId }
      : { kind: 'unassigned_lead', leadId, reason: 'deactivation' });
    if (assignee === null) {
      return { id: leadId, status: 'ok', assignedTo: null, assignedToName: null, message: 'Nobody has capacity: left unassigned' };
    }
    const { full_name } = await getUser(trx, assignee);
    return { id: leadId, status: 'ok', assignedTo: assignee, assignedToName: full_name, message: `Reassigned to ${full_name}` };
  });
}
