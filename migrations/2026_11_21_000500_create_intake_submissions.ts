import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('intake_submissions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('form_source_id', 'integer', (c) => c.notNull().references('form_sources.id'))
    .addColumn('external_id', 'text')
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('raw_body', 'text', (c) => c.notNull())
    .addColumn('lead_id', 'integer', (c) => c.references('leads.id'))
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('created', 'duplicate')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Provider retries (§11): one submission per provider id, for ever…
  await sql`create unique index intake_external_uq on intake_submissions (form_source_id, external_id)
    where external_id is not null`.execute(db);
  // …and the same body within 24 h.
  await sql`create index intake_hash_idx on intake_submissions (form_source_id, payload_hash, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('intake_submissions').execute();
}
