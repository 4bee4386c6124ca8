import { sql } from 'kysely';
import type { Db, Lead, User } from '../database.js';
import { DuplicateLeadError, ForbiddenError, LeadChangedError, ValidationError } from '../errors.js';
import { inTransaction } from '../transaction.js';
import { assertCan } from '../access/access-policy.js';
import type { HistoryAction } from './lead.constants.js';
import { recordHistory } from './lead-history.repository.js';
import { findDuplicateLead, type Page } from './lead.repository.js';
import { lockLead } from './lead-row.lock.js';
import { assignAgainIfOwnerCannotHold } from './assignment.service.js';
import { noticeLeadChange } from '../notices/lead-change-notice.service.js';

/** Deleting and restoring leads is for admins (§1, §6). Throws ForbiddenError. */
export const assertCanDeleteLeads = (actor: User): void => assertCan(actor, 'leads.delete');

/**
 * Soft-deletes a lead (§6): is_deleted, deleted_at (to the millisecond, the
 * precision of the /deleted cursor), deleted_by; version bumped; DELETED
 * history. Every normal read stops seeing it, its load leaves its
 * assignee's count, and its email/phone are free for a new lead. The
 * assignee is told, unless they deleted it themselves (noticeLeadChange).
 * Throws ForbiddenError (not an admin), NotFoundError (missing or already
 * deleted), LeadChangedError.
 */
export async function deleteLead(
  db: Db, req: { leadId: number; actor: User; expectedVersion?: number; now?: Date },
): Promise<Lead> {
  assertCanDeleteLeads(req.actor);
  return inTransaction(db, async (trx) => {
    const lead = await lockLead(trx, req.leadId, { deleted: false, expectedVersion: req.expectedVersion });
    const deleted = await trx.updateTable('leads')
      .set({
        is_deleted: true, deleted_at: sql`date_trunc('milliseconds', now())`, deleted_by: req.actor.id,
        version: sql`version + 1`, updated_at: sql`now()`,
      })
      .where('id', '=', lead.id).returningAll().executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: lead.id, action: 'DELETED', actor_user_id: req.actor.id, details: { stage: lead.stage },
    });
    await noticeLeadChange(trx, { lead: deleted, actorId: req.actor.id, change: { action: 'deleted' }, now: req.now });
    return deleted;
  });
}

/**
 * Brings a locked, deleted lead back (restore, or the undo of a delete):
 * refused while a live lead holds its email or phone, since the partial
 * unique indexes allow one live owner. Bumps the version, writes `action`
 * history. Throws DuplicateLeadError(existingLeadId).
 */
export async function reviveLead(
  trx: Db, lead: Lead, p: { actorId: number; action: Extract<HistoryAction, 'RESTORED' | 'UNDONE'>; details?: Record<string, unknown> },
): Promise<Lead> {
  const duplicate = await findDuplicateLead(trx, lead);
  if (duplicate) throw new DuplicateLeadError(duplicate.id);
  const restored = await trx.updateTable('leads')
    .set({ is_deleted: false, deleted_at: null, deleted_by: null, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', lead.id).returningAll().executeTakeFirstOrThrow();
  await recordHistory(trx, { lead_id: lead.id, action: p.action, actor_user_id: p.actorId, details: p.details ?? null });
  return restored;
}

/**
 * Restores a soft-deleted lead (§6, admins) as it was — stage, assignee —
 * with RESTORED history; an open lead whose assignee can no longer hold it
 * (inactive, or no room left) gets its owner by the §4 rule instead (who
 * gets the card); back with its owner, the owner is told (noticeLeadChange).
 * A lead that is live again (restored meanwhile, a double tap) gets
 * LeadChangedError, like any stale action.
 * Throws ForbiddenError, NotFoundError, LeadChangedError,
 * DuplicateLeadError (a live lead now has its email or phone).
 */
export async function restoreLead(
  db: Db, req: { leadId: number; actor: User; expectedVersion?: number; now?: Date },
): Promise<Lead> {
  assertCanDeleteLeads(req.actor);
  return inTransaction(db, async (trx) => {
    const lead = await lockLead(trx, req.leadId, { expectedVersion: req.expectedVersion });
    if (!lead.is_deleted) throw new LeadChangedError(lead.id, lead.version);
    // Not to someone who left or is full meanwhile: then the §4 rule picks the owner.
    await assignAgainIfOwnerCannotHold(trx, lead, { actorId: req.actor.id, by: 'restore' });
    const restored = await reviveLead(trx, await lockLead(trx, lead.id), { actorId: req.actor.id, action: 'RESTORED' });
    // Given to someone new, they have the 'restored' card already; back with its owner, the owner is told.
    if (restored.assigned_to === lead.assigned_to) {
      await noticeLeadChange(trx, { lead: restored, actorId: req.actor.id, change: { action: 'restored' }, now: req.now });
    }
    return restored;
  });
}

export type DeletedLead = Lead & { deleted_by_name: string | null };

const encodeDeletedCursor = (lead: Pick<Lead, 'deleted_at' | 'id'>): string =>
  Buffer.from(`${lead.deleted_at!.getTime()}:${lead.id}`).toString('base64url');

function decodeDeletedCursor(cursor: string): { at: Date; id: number } {
  const [ms, id] = Buffer.from(cursor, 'base64url').toString().split(':').map(Number);
  if (!Number.isSafeInteger(ms) || !Number.isSafeInteger(id) || id! <= 0) {
    throw new ValidationError('cursor', 'invalid cursor');
  }
  return { at: new Date(ms!), id: id! };
}

/**
 * Deleted leads for admins (§6), most recently deleted first, in keyset
 * pages on (deleted_at, id): `cursor` is the opaque next_cursor of the
 * previous page. limit 1–50 (default 10). Each row carries the name of who
 * deleted it. Throws ForbiddenError, ValidationError('cursor').
 */
export async function listDeletedLeads(
  db: Db, actor: User, p: { cursor?: string | null; limit?: number } = {},
): Promise<Page<DeletedLead>> {
  assertCanDeleteLeads(actor);
  const limit = Math.min(Math.max(p.limit ?? 10, 1), 50);
  const after = p.cursor ? decodeDeletedCursor(p.cursor) : null;
  const rows = await db.selectFrom('leads as l')
    .leftJoin('users as u', 'u.id', 'l.deleted_by')
    .selectAll('l')
    .select('u.full_name as deleted_by_name')
    .where('l.is_deleted', '=', true)
    .$if(after !== null, (qb) => qb.where((eb) => eb.or([
      eb('l.deleted_at', '<', after!.at),
      eb.and([eb('l.deleted_at', '=', after!.at), eb('l.id', '<', after!.id)]),
    ])))
    .orderBy('l.deleted_at', 'desc').orderBy('l.id', 'desc')
    .limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const hasNext = rows.length > limit;
  return { items, hasNext, limit, nextCursor: hasNext ? encodeDeletedCursor(items[items.length - 1]!) : null };
}
