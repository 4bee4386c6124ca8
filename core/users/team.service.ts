import { sql } from 'kysely';
import type { Db, User } from '../database.js';
import { assertCan } from '../access/access-policy.js';
import { OPEN_STAGES } from '../leads/lead.constants.js';
import { STALE_STAGES } from '../leads/stale-leads.service.js';
import type { Role } from './user.constants.js';

const DAY_MS = 86_400_000;

/** One active user as /team shows them. */
export interface TeamMember {
  userId: number;
  fullName: string;
  username: string | null;
  role: Role;
  /** Max open leads (§4). */
  capacity: number;
  /** false after /off: automatic assignment skips them. */
  isAvailable: boolean;
  /** Load (§4): assigned, open (NEW/CONTACTED/QUALIFIED), not deleted. */
  openLeads: number;
  /** Of those, stale by the §10 rule: CONTACTED/QUALIFIED with no activity for staleAfterDays. */
  staleLeads: number;
  /** Speed-to-lead (issue 11): mean ms from arrival to first contact of their leads of the last 30 days; null: none yet. */
  firstContactMs: number | null;
}

/**
 * The team at a glance (§1, §4, §10), for managers and admins: every active
 * user with their load, capacity and stale count, in ONE grouped query (no
 * per-user round trips). Ordered admins → managers → agents, then by name.
 * staleAfterDays: the §10 period in days (config STALE_AFTER_DAYS; may be
 * fractional); now: the clock, default new Date().
 * Throws ForbiddenError for agents and for users who are not active.
 */
export async function teamOverview(
  db: Db, p: { actor: User; staleAfterDays: number; now?: Date },
): Promise<TeamMember[]> {
  assertCan(p.actor, 'team.view');
  const cutoff = new Date((p.now ?? new Date()).getTime() - p.staleAfterDays * DAY_MS);
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('leads as l', (join) => join
      .onRef('l.assigned_to', '=', 'u.id')
      .on('l.stage', 'in', OPEN_STAGES)
      .on('l.is_deleted', '=', false))
    .select((eb) => [
      'u.id', 'u.full_name', 'u.username', 'u.role', 'u.capacity', 'u.is_available',
      eb.fn.count<number>('l.id').as('open_leads'),
      eb.fn.count<number>('l.id')
        .filterWhere((f) => f.and([f('l.stage', 'in', STALE_STAGES), f('l.last_activity_at', '<', cutoff)]))
        .as('stale_leads'),
      eb.selectFrom('leads as fc')
        .select(sql<number | null>`extract(epoch from avg(fc.first_contacted_at - fc.created_at)) * 1000`.as('ms'))
        .whereRef('fc.assigned_to', '=', 'u.id').where('fc.is_deleted', '=', false)
        .where('fc.first_contacted_at', '>', new Date((p.now ?? new Date()).getTime() - 30 * DAY_MS))
        .as('first_contact_ms'),
    ])
    .where('u.status', '=', 'active')
    .groupBy('u.id')
    .orderBy(sql`case u.role when 'admin' then 0 when 'manager' then 1 else 2 end`)
    .orderBy('u.full_name').orderBy('u.id')
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    fullName: r.full_name,
    username: r.username,
    role: r.role,
    capacity: r.capacity,
    isAvailable: r.is_available,
    openLeads: Number(r.open_leads),
    staleLeads: Number(r.stale_leads),
    firstContactMs: r.first_contact_ms === null ? null : Number(r.first_contact_ms),
  }));
}
