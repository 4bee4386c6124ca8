import { sql } from 'kysely';
import { ValidationError, NotFoundError } from '../errors.js';
import type { Db, Lead, User } from '../database.js';
import { assertActive, assertCanViewLead, can } from '../access/access-policy.js';
import { checkLeadFilters, leadFilterCondition, type LeadListFilters } from './lead-list.filters.js';

/** A live lead; throws NotFoundError('lead') for missing or deleted ones. */
export async function getLead(db: Db, leadId: number): Promise<Lead> {
  const lead = await db.selectFrom('leads').selectAll()
    .where('id', '=', leadId).where('is_deleted', '=', false).executeTakeFirst();
  if (!lead) throw new NotFoundError('lead', leadId);
  return lead;
}

/** getLead, plus ForbiddenError when the user may not see it (§16: never trust callback data). */
export async function getLeadForUser(db: Db, leadId: number, actor: User): Promise<Lead> {
  const lead = await getLead(db, leadId);
  assertCanViewLead(actor, lead);
  return lead;
}

/** The live lead holding this normalised email or phone (§4), if any. */
export async function findDuplicateLead(
  db: Db, contact: { email: string | null; phone: string | null },
): Promise<Pick<Lead, 'id'> | undefined> {
  if (!contact.email && !contact.phone) return undefined;
  return db.selectFrom('leads').select('id').where('is_deleted', '=', false)
    .where((eb) => eb.or([
      ...(contact.email ? [eb('email', '=', contact.email)] : []),
      ...(contact.phone ? [eb('phone', '=', contact.phone)] : []),
    ]))
    .orderBy('id').limit(1).executeTakeFirst();
}

export interface Page<T> { items: T[]; nextCursor: string | null; hasNext: boolean; limit: number }

/** A lead on a list, with its assignee's name (null: unassigned), so a row says who holds it. */
export type ListedLead = Lead & { assignee_name: string | null };

export const encodeCursor = (id: number): string => Buffer.from(String(id)).toString('base64url');
/** Throws ValidationError('cursor') for anything but a cursor we issued. */
export function decodeCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError('cursor', 'invalid cursor');
  return id;
}

/**
 * Leads the user works (§2, §6): an agent's own, every lead for managers and
 * admins; open leads unless `filters.stages` says otherwise; narrowed by
 * quality tier, source and (managers/admins) assignee — see LeadListFilters.
 * Keyset pages, newest first, by id: the key never changes, so leads created,
 * moved or reassigned between pages neither repeat nor push others off a page.
 * Each row carries its assignee's name. limit 1–50 (default 10). Throws ValidationError (cursor, a filter value),
 * ForbiddenError (an agent filtering by assignee, an inactive user).
 */
export async function listLeadsForUser(
  db: Db, actor: User, p: { cursor?: string | null; limit?: number; filters?: LeadListFilters } = {},
): Promise<Page<ListedLead>> {
  assertActive(actor);
  const filters = p.filters ?? {};
  checkLeadFilters(actor, filters);
  const limit = Math.min(Math.max(p.limit ?? 10, 1), 50);
  const after = p.cursor ? decodeCursor(p.cursor) : null;
  const rows = await db.selectFrom('leads').selectAll()
    // A subquery, not a join: the filter conditions name the leads' columns unqualified.
    .select((eb) => eb.selectFrom('users').select('full_name').whereRef('users.id', '=', 'leads.assigned_to')
      .as('assignee_name'))
    .where('is_deleted', '=', false)
    .where((eb) => leadFilterCondition(eb, filters))
    .$if(!can(actor, 'leads.all'), (qb) => qb.where('assigned_to', '=', actor.id))
    .$if(after !== null, (qb) => qb.where('id', '<', after!))
    .orderBy('id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  const hasNext = rows.length > limit;
  return { items, hasNext, limit, nextCursor: hasNext ? encodeCursor(items[items.length - 1]!.id) : null };
}

/**
 * The leads `actor` worked on last (issue 9: "which lead is this file
 * for?"): their own leads, and for managers and admins also leads they
 * acted on in the last 14 days; live ones only, most recently active
 * first. limit 1–10. Throws ForbiddenError for an inactive user.
 */
export async function listRecentLeadsForUser(db: Db, actor: User, limit = 6): Promise<Lead[]> {
  assertActive(actor);
  return db.selectFrom('leads as l').selectAll('l')
    .where('l.is_deleted', '=', false)
    .where((eb) => can(actor, 'leads.all')
      ? eb.or([
        eb('l.assigned_to', '=', actor.id),
        eb.exists(eb.selectFrom('lead_history as h').select('h.id').whereRef('h.lead_id', '=', 'l.id')
          .where('h.actor_user_id', '=', actor.id).where('h.created_at', '>', sql<Date>`now() - interval '14 days'`)),
      ])
      : eb('l.assigned_to', '=', actor.id))
    .orderBy('l.last_activity_at', 'desc').orderBy('l.id', 'desc')
    .limit(Math.min(Math.max(limit, 1), 10)).execute();
}

/** Who holds a lead and whether it is deleted (deleted ones too); null when there is no such lead. */
export async function getLeadOwnership(db: Db, leadId: number): Promise<{ assignedTo: number | null; deleted: boolean } | null> {
  const lead = await db.selectFrom('leads').select(['assigned_to', 'is_deleted']).where('id', '=', leadId).executeTakeFirst();
  return lead ? { assignedTo: lead.assigned_to, deleted: lead.is_deleted } : null;
}
