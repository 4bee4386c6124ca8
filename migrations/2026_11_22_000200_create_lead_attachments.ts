import { sql, type Kysely } from 'kysely';

/**
 * §5 attachments: documents and photos a manager sent to the bot for a lead.
 * Only Telegram's file ids are kept (no local disk); the bot re-sends by id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lead_attachments')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('leads.id'))
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('telegram_file_id', 'text', (c) => c.notNull())
    .addColumn('telegram_file_unique_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('document', 'photo')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index lead_attachments_lead_created_idx on lead_attachments (lead_id, created_at desc, id desc)`
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lead_attachments').execute();
}
