import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Lead, User } from '../database.js';
import { CapacityFullError, ForbiddenError, InactiveAssigneeError, NotFoundError, UndoExpiredError } from '../errors.js';
import type { KeyValueStore } from '../store/kv-store.js';
import { inTransaction } from '../transaction.js';
import { assertCanViewLead, can } from '../access/access-policy.js';
import type { ColdStage, LostReasonCode } from './lead.constants.js';
import { recordHistory } from './lead-history.repository.js';
import { assertCanDeleteLeads, reviveLead } from './lead-deletion.service.js';
import { lockLead } from './lead-row.lock.js';
import { assignAgainIfOwnerCannotHold, pickAssignee } from './assignment.service.js';
import { assertCanReassign, claimAssignee, notifyReassignment } from './reassign.service.js';
import { isTerminal } from './cold-pipeline.rules.js';
import { noticeLeadChange } from '../notices/lead-change-notice.service.js';

/** How long an action can be undone (§3–§6 quick actions), in milliseconds. */
export const UNDO_TTL_MS = 30_000;
const KEY_PREFIX = 'undo:';

interface UndoBase {
  leadId: number;
  /** The lead's version right after the action: any later change makes the undo stale. */
  versionAfter: number;
  /** Who acted; only they (or an admin) may undo. */
  actorId: number;
}
/** What an undo needs to put back, by the action it reverts. */
export type UndoRecord =
  | UndoBase & { kind: 'lost'; previous: { stage: ColdStage; lostReason: string | null; lostReasonCode?: LostReasonCode | null } }
  | UndoBase & { kind: 'reassign'; previous: { assignedTo: number | null } }
  | UndoBase & { kind: 'delete'; previous: null };
export type UndoKind = UndoRecord['kind'];

/**
 * Keeps the record of an action that just succeeded for ttlMs (default 30 s)
 * in the shared store and returns its token: 16 base64url characters, fits
 * in callback data. Call it right after the action committed.
 */
export async function rememberUndo(
  store: KeyValueStore, record: UndoRecord, opts: { ttlMs?: number } = {},
): Promise<string> {
  const token = randomBytes(12).toString('base64url');
  await store.set(KEY_PREFIX + token, JSON.stringify(record), opts.ttlMs ?? UNDO_TTL_MS);
  return token;
}

/** The undo record of a LOST move: `before` is the lead as the card showed it, `after` what transitionStage returned. */
export function lostUndoRecord(before: Lead, after: Lead, actorId: number): UndoRecord {
  return {
    kind: 'lost', leadId: after.id, versionAfter: after.version, actorId,
    previous: { stage: before.stage, lostReason: before.lost_reason, lostReasonCode: before.lost_reason_code },
  };
}

/**
 * Reverts the action behind `token` (§3–§6 undo): only within its TTL, only
 * by the same user or an admin, who must still have the right to the
 * original action, and only while the lead's version is still the one the
 * action left (otherwise someone changed it since). Lost → the previous
 * stage and lost reason; reassign → the previous assignee and both people
 * told; delete → the lead is live again. The lead never goes back to
 * someone who can no longer hold it (inactive, or no room for one more open
 * lead): then the §4 rule picks the owner (assignAgainIfOwnerCannotHold).
 * One transaction: version bumped, UNDONE history {undone: kind}; an
 * assignee who did not undo it themselves is told (noticeLeadChange; a
 * reassign's undo tells both people as a reassign does). The token is
 * spent on success. Returns the lead as it is now.
 * Throws UndoExpiredError, ForbiddenError, NotFoundError, LeadChangedError,
 * DuplicateLeadError.
 */
export async function undoLastAction(
  db: Db, store: KeyValueStore, req: { token: string; actor: User; now?: Date },
): Promise<{ kind: UndoKind; lead: Lead }> {
  const raw = await store.get(KEY_PREFIX + req.token);
  if (raw === null) throw new UndoExpiredError();
  const record = JSON.parse(raw) as UndoRecord;
  if (record.actorId !== req.actor.id && !can(req.actor, 'leads.undoAnyone')) {
    throw new ForbiddenError('Only the person who acted, or an admin, can undo');
  }
  const lead = await inTransaction(db, async (trx) => {
    // Every change bumps the version, so an equal version means the lead is exactly as the action left it.
    const current = await lockLead(trx, record.leadId, { expectedVersion: record.versionAfter });
    const history = { lead_id: current.id, action: 'UNDONE' as const, actor_user_id: req.actor.id };
    switch (record.kind) {
      case 'lost': {
        assertCanViewLead(req.actor, current);
        const { stage, lostReason, lostReasonCode } = record.previous;
        // Checked before the lead counts as open again, so its own load is not in the count.
        await assignAgainIfOwnerCannotHold(trx, { ...current, stage }, { actorId: req.actor.id, by: 'undo' });
        const reverted = await trx.updateTable('leads')
          .set({ stage, lost_reason: lostReason, lost_reason_code: lostReasonCode ?? null, version: sql`version + 1`, updated_at: sql`now()` })
          .where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
        await recordHistory(trx, { ...history, from_stage: current.stage, to_stage: stage, details: { undone: 'lost' } });
        if (reverted.assigned_to === current.assigned_to) {
          await noticeLeadChange(trx, { lead: reverted, actorId: req.actor.id, change: { action: 'undone', undone: 'lost', to: stage }, now: req.now });
        }
        return reverted;
      }
      case 'reassign': {
        assertCanReassign(req.actor);
        const wanted = record.previous.assignedTo;
        // Back to who had it, unless they can no longer hold it: then the §4 rule picks.
        const back = wanted === null || await canTakeBack(trx, wanted, current) ? wanted : await pickAssignee(trx);
        const reverted = await trx.updateTable('leads')
          .set({ assigned_to: back, version: sql`version + 1`, updated_at: sql`now()` })
          .where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
        await recordHistory(trx, {
          ...history,
          details: { undone: 'reassign', from_user_id: current.assigned_to, to_user_id: back, ...(back !== wanted ? { by: 'capacity' } : {}) },
        });
        if (back !== current.assigned_to) {
          await notifyReassignment(trx, reverted, { fromUserId: current.assigned_to, toUserId: back, actorId: req.actor.id });
        }
        return reverted;
      }
      case 'delete': {
        assertCanDeleteLeads(req.actor);
        await assignAgainIfOwnerCannotHold(trx, current, { actorId: req.actor.id, by: 'undo' });
        const revived = await reviveLead(trx, await lockLead(trx, current.id), {
          actorId: req.actor.id, action: 'UNDONE', details: { undone: 'delete' },
        });
        if (revived.assigned_to === current.assigned_to) {
          await noticeLeadChange(trx, { lead: revived, actorId: req.actor.id, change: { action: 'undone', undone: 'delete', to: null }, now: req.now });
        }
        return revived;
      }
    }
  });
  await store.delete(KEY_PREFIX + req.token);
  return { kind: record.kind, lead };
}

/** Whether the previous assignee can take the lead back now (active, assignable, room if it is open). */
async function canTakeBack(trx: Db, userId: number, lead: Lead): Promise<boolean> {
  try {
    await claimAssignee(trx, userId, !isTerminal(lead.stage));
    return true;
  } catch (err) {
    if (err instanceof CapacityFullError || err instanceof InactiveAssigneeError || err instanceof NotFoundError) return false;
    throw err;
  }
}
