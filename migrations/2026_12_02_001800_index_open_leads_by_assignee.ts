import { sql, type Kysely } from 'kysely';

/**
 * §4 load, counted from the leads table on every pick: an agent's open, live
 * leads. A partial index holds only open leads, so counting them reads an
 * index as large as today's open work (not the whole history of closed
 * leads), and index-only once the table is vacuumed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index leads_open_by_assignee_idx on leads (assigned_to)
    where stage in ('NEW', 'CONTACTED', 'QUALIFIED') and is_deleted = false and assigned_to is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists leads_open_by_assignee_idx`.execute(db);
}
