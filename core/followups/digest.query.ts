import { sql } from 'kysely';
import { can } from '../access/access-policy.js';
import { localTime } from '../conversations/working-hours.rules.js';
import type { Db, Lead, User } from '../database.js';
import { STALE_STAGES } from '../leads/stale-leads.service.js';
import { OPEN_DEAL_STAGES } from '../deals/deal.constants.js';
import { addDays, zonedTime } from './working-time.rules.js';

/** A lead as a digest lists it (a button opens its card). */
export type DigestLead = Pick<Lead, 'id' | 'full_name' | 'created_at'>;

/**
 * The daily digest's read model (issue 11) for one person: what needs them
 * today. Agents see their own leads; managers and admins the team's. Each
 * list holds at most DIGEST_LIST_MAX items, `counts` the full numbers.
 * `dealsWaiting`: open deals (§9: NEW, KYC, AGREEMENT) — `id` is the
 * deal's, the name its lead's — least recently active first.
 */
export interface Digest {
  /** The reader's local date, YYYY-MM-DD. */
  date: string;
  newLeads: DigestLead[];
  reminders: { id: number; leadId: number; dueAt: Date; body: string | null; leadName: string | null }[];
  stale: DigestLead[];
  slaBreached: DigestLead[];
  dealsWaiting: DigestLead[] | null;
  counts: { newLeads: number; reminders: number; stale: number; slaBreached: number };
}

export const DIGEST_LIST_MAX = 8;

export interface DigestOptions { now: Date; timeZone: string; staleAfterDays: number }

/**
 * Builds the digest of `viewer` (one round of queries, run together):
 * new leads — NEW ones (theirs; for supervisors, those that came in the last
 * day or are unassigned); reminders due by the end of their local day;
 * stale leads (§10 rule); SLA-breached ones (alerted and still uncontacted).
 */
export async function digestFor(db: Db, viewer: User, o: DigestOptions): Promise<Digest> {
  const all = can(viewer, 'leads.all');
  const date = localTime(o.now, o.timeZone).date;
  const endOfDay = zonedTime(addDays(date, 1), 0, o.timeZone);
  const dayAgo = new Date(o.now.getTime() - 86_400_000);
  const staleCutoff = new Date(o.now.getTime() - o.staleAfterDays * 86_400_000);
  const leads = () => {
    const q = db.selectFrom('leads as l').where('l.is_deleted', '=', false);
    return all ? q : q.where('l.assigned_to', '=', viewer.id);
  };
  const list = <T extends ReturnType<typeof leads>>(q: T) => Promise.all([
    q.select(['l.id', 'l.full_name', 'l.created_at']).orderBy('l.created_at', 'desc').limit(DIGEST_LIST_MAX).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const newQ = leads().where('l.stage', '=', 'NEW')
    .$if(all, (q) => q.where((eb) => eb.or([eb('l.created_at', '>', dayAgo), eb('l.assigned_to', 'is', null)])));
  const staleQ = leads().where('l.stage', 'in', STALE_STAGES).where('l.assigned_to', 'is not', null)
    .where('l.last_activity_at', '<', staleCutoff);
  const slaQ = leads().where('l.stage', '=', 'NEW').where('l.first_contacted_at', 'is', null)
    .where(({ exists, selectFrom }) => exists(selectFrom('lead_escalations as e').select('e.id')
      .whereRef('e.lead_id', '=', 'l.id').where('e.cause', '=', 'sla')));
  const remindersQ = db.selectFrom('reminders as r').innerJoin('leads as l', 'l.id', 'r.lead_id')
    .where('r.user_id', '=', viewer.id).where('r.status', '=', 'scheduled').where('r.due_at', '<', endOfDay)
    .where('l.is_deleted', '=', false);
  const dealsQ = db.selectFrom('deals as d').innerJoin('leads as l', 'l.id', 'd.lead_id')
    .where('d.stage', 'in', OPEN_DEAL_STAGES).$if(!all, (q) => q.where('d.owner_id', '=', viewer.id));
  const [[newLeads, newCount], [stale, staleCount], [slaBreached, slaCount], reminders, reminderCount, deals] = await Promise.all([
    list(newQ), list(staleQ), list(slaQ),
    remindersQ.select(['r.id', 'r.lead_id', 'r.due_at', 'r.body', 'l.full_name']).orderBy('r.due_at')
      .limit(DIGEST_LIST_MAX).execute(),
    remindersQ.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    dealsQ.select(['d.id', 'l.full_name', 'd.created_at']).orderBy('d.last_activity_at').limit(DIGEST_LIST_MAX).execute(),
  ]);
  return {
    date,
    newLeads, stale, slaBreached,
    reminders: reminders.map((r) => ({ id: r.id, leadId: r.lead_id, dueAt: r.due_at, body: r.body, leadName: r.full_name })),
    dealsWaiting: deals,
    counts: {
      newLeads: Number(newCount.n), reminders: Number(reminderCount.n), stale: Number(staleCount.n), slaBreached: Number(slaCount.n),
    },
  };
}

/** Whether a digest has anything in it (an empty one still goes out: "nothing waits for you today"). */
export const digestIsEmpty = (d: Digest): boolean =>
  d.counts.newLeads + d.counts.reminders + d.counts.stale + d.counts.slaBreached + (d.dealsWaiting?.length ?? 0) === 0;
