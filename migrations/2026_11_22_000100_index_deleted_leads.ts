import { sql, type Kysely } from 'kysely';

/**
 * §6 /deleted: admins page through deleted leads, most recently deleted
 * first (keyset on deleted_at, id). A deleted lead always says when it was
 * deleted, so the keyset never meets a NULL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table leads add constraint leads_deleted_at_ck check (not is_deleted or deleted_at is not null)`.execute(db);
  await sql`create index leads_deleted_idx on leads (deleted_at desc, id desc) where is_deleted`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index leads_deleted_idx`.execute(db);
  await sql`alter table leads drop constraint leads_deleted_at_ck`.execute(db);
}
