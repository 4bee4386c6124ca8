import { sql, type Kysely } from 'kysely';

/**
 * §12 admin-editable texts the bot sends customers on its own (the
 * greeting, the off-hours auto-reply), one per key and language. A missing
 * row means the built-in default of that language.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_texts')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull().check(sql`char_length(body) between 1 and 4096`))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('channel_texts_pk', ['key', 'language'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('channel_texts').execute();
}
