import { LeadChangedError, NotFoundError } from '../errors.js';
import type { Db, Lead, User } from '../database.js';
import { assertCanViewLead } from '../access/access-policy.js';

/**
 * Locks a lead's row for the rest of the caller's transaction (SELECT … FOR
 * UPDATE) and checks the version the caller's card showed (§3: of two
 * concurrent changes exactly one wins; the other gets LeadChangedError).
 * `deleted`: which side of the soft delete the lead must be on (§6) —
 * false for every normal change, true for restoring; absent: either.
 * `viewer`: checked before the version, so someone who may not see the lead
 * learns nothing about it (not even that it changed).
 * Throws NotFoundError('lead'), ForbiddenError, LeadChangedError.
 */
export async function lockLead(
  trx: Db, leadId: number, p: { deleted?: boolean; expectedVersion?: number | undefined; viewer?: User } = {},
): Promise<Lead> {
  return readLead(trx, leadId, p, true);
}

/**
 * lockLead without the lock, for a change applied by one statement guarded
 * by the version read here (updateLeadWithHistory): the same checks and
 * errors, and no transaction held open while the caller decides.
 */
export async function readLeadForChange(
  db: Db, leadId: number, p: { deleted?: boolean; expectedVersion?: number | undefined; viewer?: User } = {},
): Promise<Lead> {
  return readLead(db, leadId, p, false);
}

async function readLead(
  db: Db, leadId: number, p: { deleted?: boolean; expectedVersion?: number | undefined; viewer?: User }, lock: boolean,
): Promise<Lead> {
  const lead = await db.selectFrom('leads').selectAll()
    .where('id', '=', leadId)
    .$if(p.deleted !== undefined, (qb) => qb.where('is_deleted', '=', p.deleted!))
    .$if(lock, (qb) => qb.forUpdate()).executeTakeFirst();
  if (!lead) throw new NotFoundError('lead', leadId);
  if (p.viewer) assertCanViewLead(p.viewer, lead);
  if (p.expectedVersion !== undefined && p.expectedVersion !== lead.version) {
    throw new LeadChangedError(lead.id, lead.version);
  }
  return lead;
}
