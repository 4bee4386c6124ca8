import { sql, type Kysely } from 'kysely';

/**
 * §10 stale scan whose cost does not grow with alerts sent before: the lead
 * row keeps when it was last alerted, and the scan reads an index on
 * greatest(last_activity_at, stale_alerted_at) — the moment the lead last
 * counted as fresh — so leads alerted within the period are never stepped
 * over (GREATEST ignores the NULL of a lead never alerted). stale_alerts
 * stays the record; created_at is indexed for the few alerts of a period
 * whose message failed (they do not count, so those leads are alerted again).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table leads add column stale_alerted_at timestamptz`.execute(db);
  await sql`update leads l set stale_alerted_at = a.at
    from (select lead_id, max(created_at) as at from stale_alerts group by lead_id) a where a.lead_id = l.id`.execute(db);
  await sql`create index leads_stale_due_idx on leads ((greatest(last_activity_at, stale_alerted_at)), id)
    where not is_deleted and assigned_to is not null and stage in ('CONTACTED', 'QUALIFIED')`.execute(db);
  await sql`create index stale_alerts_created_idx on stale_alerts (created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists stale_alerts_created_idx`.execute(db);
  await sql`drop index if exists leads_stale_due_idx`.execute(db);
  await sql`alter table leads drop column stale_alerted_at`.execute(db);
}
