import { sql, type Kysely } from 'kysely';

/**
 * §1 staff join by invitation: an admin's single-use link carries a token
 * (`/start inv_…`); only its SHA-256 is kept, so the table never holds a
 * working credential. used_at/used_by record who joined with it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_invites')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('agent', 'manager', 'admin')`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('used_by', 'integer', (c) => c.references('users.id'))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('staff_invites').execute();
}
