import { sql, type Compilable, type Insertable } from 'kysely';
import type { Db, Lead, LeadHistory, LeadHistoryTable } from '../database.js';
import { eventOfHistory, webhookDeliveriesInsert } from '../webhooks/webhook-event.writer.js';

/**
 * A history row with its actor's name (null: the system, or a user since
 * removed) and, for an assignment, the new assignee's name (details.to_user_id).
 */
export type HistoryWithActor = LeadHistory & { actor_name: string | null; to_user_name: string | null };

export type HistoryEntry = Omit<Insertable<LeadHistoryTable>, 'details'> & { details?: Record<string, unknown> | null };

/**
 * Appends rows to leads' history (§5) and, for those that are outbound
 * events (§13, HISTORY_EVENTS), records their deliveries in the same
 * statement: one round trip however many rows (issue 14: a new lead's
 * CREATED and ASSIGNED). Rows get ids in the order given.
 */
export async function recordHistories(db: Db, entries: readonly HistoryEntry[]): Promise<void> {
  if (!entries.length) return;
  const insert = db.insertInto('lead_history')
    .values(entries.map((entry) => ({ ...entry, details: entry.details ? JSON.stringify(entry.details) : null })));
  const events = entries.map(eventOfHistory).filter((e) => e !== null);
  if (!events.length) return void await insert.execute();
  await sql`with history as (${insert}) ${webhookDeliveriesInsert(events).statement}`.execute(db);
}

/** A stage change's history row (updateLeadWithHistory): written for the lead updated. */
export interface StageHistoryEntry {
  action: 'STAGE_CHANGED' | 'ROLLBACK';
  actor_user_id: number;
  from_stage: string;
  to_stage: string;
  reason: string | null;
  reason_code: string | null;
}

/**
 * Applies `update` — an UPDATE … RETURNING * of lead `leadId`, guarded by
 * the version the caller read — and, only if it matched, appends `entry`
 * to the lead's history and records its outbound event (§13) with the lead
 * as updated: ONE statement, atomic without a transaction of its own
 * (issue 14: a button's stage change in one round trip instead of five).
 * Returns the updated lead, or undefined when the update matched no row
 * (nothing was written).
 */
export async function updateLeadWithHistory(
  db: Db, leadId: number, update: Compilable<Lead>, entry: StageHistoryEntry,
): Promise<Lead | undefined> {
  const event = eventOfHistory({ ...entry, lead_id: leadId });
  const deliveries = event ? sql`, deliveries as (${webhookDeliveriesInsert([event], { leadsFrom: sql`updated` }).statement})` : sql``;
  const result = await sql<Lead>`
    with updated as (${update}),
    history as (
      insert into lead_history (lead_id, action, actor_user_id, from_stage, to_stage, reason, reason_code)
      select u.id, ${entry.action}::text, ${entry.actor_user_id}::int, ${entry.from_stage}::text, ${entry.to_stage}::text,
        ${entry.reason}::text, ${entry.reason_code}::text
      from updated u
    )${deliveries}
    select * from updated`.execute(db);
  return result.rows[0];
}

/** recordHistories for one row. */
export async function recordHistory(db: Db, entry: HistoryEntry): Promise<void> {
  await recordHistories(db, [entry]);
}

/**
 * A page of a lead's history, newest first, paginated in SQL (§5), with
 * each actor's name and each new assignee's name joined in.
 * limit: rows per page (1–100); offset: rows to skip. total: all rows.
 */
export async function listHistory(
  db: Db,
  leadId: number,
  page: { limit: number; offset: number },
): Promise<{ items: HistoryWithActor[]; total: number }> {
  const limit = Math.min(Math.max(page.limit, 1), 100);
  const [items, count] = await Promise.all([
    db.selectFrom('lead_history as h').leftJoin('users as u', 'u.id', 'h.actor_user_id')
      .selectAll('h').select('u.full_name as actor_name')
      .select(sql<string | null>`(select t.full_name from users t where t.id = (h.details->>'to_user_id')::int)`.as('to_user_name'))
      .where('h.lead_id', '=', leadId)
      .orderBy('h.created_at', 'desc').orderBy('h.id', 'desc')
      .limit(limit).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('lead_history').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('lead_id', '=', leadId).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}
