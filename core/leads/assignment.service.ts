import { sql } from 'kysely';
import type { Db } from '../database.js';
import { OPEN_STAGES } from './lead.constants.js';

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

/**
 * Picks who gets a new lead (§4): the active, available agent with the most
 * free capacity; ties go to whoever was assigned longest ago (round-robin).
 * Returns null when nobody has room. Call inside the transaction that
 * assigns: it locks the chosen user's row and re-counts, so two concurrent
 * leads cannot both take an agent's last free slot.
 */
export async function pickAssignee(trx: Db): Promise<number | null> {
  const tried: number[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await trx
      .selectFrom('users as u')
      .leftJoin('leads as l', (join) => join
        .onRef('l.assigned_to', '=', 'u.id')
        .on('l.stage', 'in', OPEN_STAGES)
        .on('l.is_deleted', '=', false))
      .select(['u.id', 'u.capacity', (eb) => eb.fn.count<number>('l.id').as('load')])
      .where('u.role', '=', 'agent').where('u.status', '=', 'active').where('u.is_available', '=', true)
      .$if(tried.length > 0, (qb) => qb.where('u.id', 'not in', tried))
      .groupBy('u.id')
      .having(sql<boolean>`u.capacity > count(l.id)`)
      .orderBy(sql`u.capacity - count(l.id)`, 'desc')
      .orderBy(sql`u.last_assigned_at asc nulls first`)
      .orderBy('u.id')
      .limit(1)
      .executeTakeFirst();
    if (!candidate) return null;
    // Lock the user row, then count again with a fresh snapshot: a concurrent
    // transaction that assigned to them has committed by the time we get the lock.
    await trx.updateTable('users').set({ last_assigned_at: sql`now()` }).where('id', '=', candidate.id).execute();
    if ((await countOpenLeads(trx, candidate.id)) < candidate.capacity) return candidate.id;
    tried.push(candidate.id);
  }
  return null;
}
