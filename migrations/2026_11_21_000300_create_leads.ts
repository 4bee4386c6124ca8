import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leads')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) =>
      c.notNull().defaultTo('NEW').check(sql`stage in ('NEW', 'CONTACTED', 'QUALIFIED', 'TRANSFERRED', 'LOST')`))
    .addColumn('full_name', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('company', 'text')
    .addColumn('position', 'text')
    .addColumn('intent', 'text')
    .addColumn('pain_points', 'text')
    .addColumn('business_domain', 'text')
    .addColumn('message_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ai_score', 'double precision', (c) => c.check(sql`ai_score between 0 and 1`))
    .addColumn('ai_recommendation', 'text')
    .addColumn('ai_reason', 'text')
    .addColumn('ai_analyzed_at', 'timestamptz')
    .addColumn('quality_tier', 'text', (c) => c.check(sql`quality_tier in ('HOT', 'WARM', 'COLD', 'DEAD')`))
    .addColumn('assigned_to', 'integer', (c) => c.references('users.id'))
    .addColumn('utm_source', 'text')
    .addColumn('utm_medium', 'text')
    .addColumn('utm_campaign', 'text')
    .addColumn('utm_content', 'text')
    .addColumn('utm_term', 'text')
    .addColumn('form_source_id', 'integer', (c) => c.references('form_sources.id'))
    .addColumn('form_reference', 'text')
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('lost_reason', 'text')
    .addColumn('is_deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('leads_has_contact', sql`phone is not null or email is not null or source = 'MESSAGE'`)
    .execute();

  // §15 hot-query indexes.
  await sql`create index leads_ai_score_idx on leads (ai_score) where ai_score is not null`.execute(db);
  await sql`create index leads_stage_created_idx on leads (stage, created_at desc)`.execute(db);
  await sql`create index leads_assignee_stage_idx on leads (assigned_to, stage)`.execute(db);
  await sql`create index leads_source_domain_idx on leads (source, business_domain)`.execute(db);
  // Stale-lead scan (§10): open, assigned, live leads by inactivity.
  await sql`create index leads_stale_idx on leads (last_activity_at)
    where not is_deleted and assigned_to is not null and stage in ('CONTACTED', 'QUALIFIED')`.execute(db);
  // Duplicate rule (§4): at most one live lead per normalised email and per phone.
  // Unique, so two concurrent submissions cannot both create a lead.
  await sql`create unique index leads_email_live_uq on leads (email) where not is_deleted and email is not null`.execute(db);
  await sql`create unique index leads_phone_live_uq on leads (phone) where not is_deleted and phone is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leads').execute();
}
