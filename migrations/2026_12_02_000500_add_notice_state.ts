import { sql, type Kysely } from 'kysely';

/**
 * Issue 9, "told when others act":
 * - notifications.merge_key: a message that later changes may still be
 *   merged into (a lead_changed notice: one per recipient and lead). At most
 *   one row holds a key, enforced by a unique partial index, so two changes
 *   committed at once meet on that index instead of queuing two notices;
 *   the key is cleared when delivery claims the row, so nothing is ever
 *   merged into a message that may already be on its way.
 * - form_source_health: per form source, the run of consecutive
 *   unprocessable (422) submissions and when admins were last alerted about
 *   the source — the once-an-hour rule, shared by every app instance.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table notifications add column merge_key text`.execute(db);
  await sql`create unique index notifications_merge_key_uq on notifications (merge_key)
    where merge_key is not null`.execute(db);

  await db.schema
    .createTable('form_source_health')
    .addColumn('form_source_id', 'integer', (c) => c.primaryKey().references('form_sources.id').onDelete('cascade'))
    .addColumn('unprocessable_streak', 'integer', (c) => c.notNull().defaultTo(0).check(sql`unprocessable_streak >= 0`))
    .addColumn('alerted_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('form_source_health').execute();
  await sql`drop index if exists notifications_merge_key_uq`.execute(db);
  await sql`alter table notifications drop column merge_key`.execute(db);
}
