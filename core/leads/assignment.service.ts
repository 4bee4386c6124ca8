import { sql, type Expression } from 'kysely';
import { ASSIGNABLE_ROLES, AUTO_ASSIGNED_ROLES } from '../access/access-policy.js';
import type { Db, Lead } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { recordHistory } from './lead-history.repository.js';
import { OPEN_STAGES } from './lead.constants.js';
import { withdrawLeadChangeNotice } from '../notices/lead-change-notice.service.js';

/**
 * A user's current load (§4): their assigned, open, live leads, counted from
 * the leads table every time (no stored counter to drift).
 */
export async function countOpenLeads(db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('assigned_to', '=', userId).where('stage', 'in', OPEN_STAGES).where('is_deleted', '=', false)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** countOpenLeads of the user row being updated, as a subquery, stopping at their capacity (see rankCandidates). */
const openLeadCountUpTo = (userId: Expression<number>, capacity: Expression<number>) => sql<number>`(
  select count(*) from (select 1 from leads where assigned_to = ${userId} and stage in (${sql.join(OPEN_STAGES)})
    and is_deleted = false limit ${capacity}) open_lead)`;

/**
 * Active, available agents with room, best first: most free capacity, then
 * longest since their last lead. Each agent's load is counted from the
 * leads table (§4) with the same predicate as leads_open_by_assignee_idx,
 * so the count reads only that agent's open leads from the partial index —
 * not every lead ever assigned (1.4 s at 533,000 open leads before it) —
 * and stops at the agent's capacity: a full agent is no candidate however
 * far over, and below it the count is exact, so the ranking is the rule's.
 * lockFirst: only the best agent no concurrent assignment holds, its row
 * locked (FOR UPDATE SKIP LOCKED) — ranking and lock in one round trip.
 */
async function rankCandidates(
  db: Db, p: { limit: number; exclude?: number | undefined; lockFirst?: boolean },
): Promise<{ id: number; capacity: number }[]> {
  return db
    .selectFrom('users as u')
    .innerJoinLateral(
      (eb) => eb.selectFrom(
        (inner) => inner.selectFrom('leads as l').select(sql.lit(1).as('one'))
          .whereRef('l.assigned_to', '=', 'u.id').where('l.stage', 'in', OPEN_STAGES).where('l.is_deleted', '=', false)
          .limit(sql<number>`u.capacity`).as('open_lead'),
      ).select((e) => e.fn.countAll<number>().as('n')).as('load'),
      (join) => join.onTrue(),
    )
    .select(['u.id', 'u.capacity'])
    .where('u.role', 'in', AUTO_ASSIGNED_ROLES).where('u.status', '=', 'active').where('u.is_available', '=', true)
    .$if(p.exclude !== undefined, (qb) => qb.where('u.id', '<>', p.exclude!))
    .where(sql<boolean>`u.capacity > load.n`)
    .orderBy(sql`u.capacity - load.n`, 'desc')
    .orderBy(sql`u.last_assigned_at asc nulls first`)
    .orderBy('u.id')
    .limit(p.lockFirst ? 1 : p.limit)
    .$if(p.lockFirst === true, (qb) => qb.forUpdate('u').skipLocked())
    .execute();
}

/**
 * Locks the user's row (waiting, or not when skipLocked), then re-checks with
 * a fresh snapshot what may have changed since ranking: still an active,
 * available agent (deactivation and /off commit concurrently), same capacity,
 * and room under it.
 */
async function claimIfRoom(trx: Db, user: { id: number }, skipLocked: boolean): Promise<boolean> {
  const locked = await trx.selectFrom('users').select(['id', 'capacity']).where('id', '=', user.id)
    .where('role', 'in', AUTO_ASSIGNED_ROLES).where('status', '=', 'active').where('is_available', '=', true)
    .forUpdate().$if(skipLocked, (qb) => qb.skipLocked()).executeTakeFirst();
  return locked !== undefined && claimLocked(trx, user.id);
}

/**
 * The claim on a user whose row this transaction has locked: their load
 * counted by this later statement — so its snapshot holds every lead that
 * whoever held the lock before us committed (READ COMMITTED) — and, with
 * room under their capacity, last_assigned_at set (the round-robin).
 */
async function claimLocked(trx: Db, userId: number): Promise<boolean> {
  const claimed = await trx.updateTable('users').set({ last_assigned_at: sql`now()` }).where('id', '=', userId)
    .where((eb) => eb(openLeadCountUpTo(eb.ref('users.id'), eb.ref('users.capacity')), '<', eb.ref('users.capacity')))
    .returning('id').executeTakeFirst();
  return claimed !== undefined;
}

/**
 * Picks who gets a new lead (§4): the active, available agent with the most
 * free capacity; ties go to whoever was assigned longest ago (round-robin).
 * Returns null when nobody has room. Call inside the transaction that
 * assigns: the chosen agent's row stays locked until it commits and their
 * load is re-counted under the lock, so concurrent leads never overfill an
 * agent. Agents locked by a concurrent assignment are skipped rather than
 * waited for, which spreads a burst across the team. `exclude`: never this
 * user (the owner a lead is taken from, issue 11's ladder).
 */
export async function pickAssignee(trx: Db, opts: { exclude?: number } = {}): Promise<number | null> {
  // Usually the best free agent is claimed in two round trips; a race lost there falls back to the ladder below.
  const [best] = await rankCandidates(trx, { limit: 1, exclude: opts.exclude, lockFirst: true });
  if (best && await claimLocked(trx, best.id)) return best.id;
  const candidates = await rankCandidates(trx, { limit: 10, exclude: opts.exclude });
  for (const candidate of candidates) {
    if (await claimIfRoom(trx, candidate, true)) return candidate.id;
  }
  // Everyone with room is busy assigning right now: wait for them in order.
  for (const candidate of candidates) {
    if (await claimIfRoom(trx, candidate, false)) return candidate.id;
  }
  return null;
}

/**
 * A lead coming back to life (restore, or the undo of a Lost or a delete)
 * must not land on someone who cannot hold it: when its assignee is gone,
 * inactive, no longer assignable, or has no room for one more open lead, the §4 rule picks
 * the owner instead (pickAssignee; nobody with room → unassigned), with
 * ASSIGNED history {from_user_id, to_user_id, by} and the new owner (or the
 * managers) told; the old owner's waiting lead_changed notice is withdrawn. Call under the lead's row lock, BEFORE the lead counts as
 * open again; `lead` is the row as it will be. Returns the lead as stored.
 */
export async function assignAgainIfOwnerCannotHold(
  trx: Db, lead: Lead, p: { actorId: number; by: 'restore' | 'undo' },
): Promise<Lead> {
  // An unassigned lead is given to nobody by coming back; only an owner who cannot hold it is replaced.
  if (!OPEN_STAGES.includes(lead.stage) || lead.assigned_to === null) return lead;
  if (await canHoldOneMore(trx, lead.assigned_to)) return lead;
  const assignee = await pickAssignee(trx);
  const updated = await trx.updateTable('leads').set({ assigned_to: assignee, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', lead.id).returningAll().executeTakeFirstOrThrow();
  await recordHistory(trx, {
    lead_id: lead.id, action: 'ASSIGNED', actor_user_id: p.actorId,
    details: { from_user_id: lead.assigned_to, to_user_id: assignee, by: p.by },
  });
  await withdrawLeadChangeNotice(trx, { leadId: lead.id, userId: lead.assigned_to });
  await queueMessage(trx, { leadAudience: updated }, assignee !== null
    ? { kind: 'lead_card', leadId: lead.id, reason: 'restored', byUserId: p.actorId }
    : { kind: 'unassigned_lead', leadId: lead.id, reason: 'restored' });
  return updated;
}

/** Whether the user is an active, assignable user with room for one more open lead (their row locked). */
async function canHoldOneMore(trx: Db, userId: number): Promise<boolean> {
  const user = await trx.selectFrom('users').select(['id', 'capacity', 'status', 'role'])
    .where('id', '=', userId).forUpdate().executeTakeFirst();
  if (!user || user.status !== 'active' || !ASSIGNABLE_ROLES.includes(user.role)) return false;
  return (await countOpenLeads(trx, userId)) < user.capacity;
}
