import { sql, type Kysely } from 'kysely';

/**
 * /find (§2, §15): trigram indexes for typo-tolerant search by name, company
 * and email; phone look-ups by the last 10 digits of the stored E.164 number
 * (a btree: equality) and by shorter trailing fragments (trigrams: LIKE
 * '%…'). The expressions must stay identical to the ones in
 * core/leads/lead-search.service.ts, or the planner won't use them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index leads_full_name_trgm_idx on leads using gin (lower(full_name) gin_trgm_ops)`.execute(db);
  await sql`create index leads_company_trgm_idx on leads using gin (lower(company) gin_trgm_ops)`.execute(db);
  await sql`create index leads_email_trgm_idx on leads using gin (email gin_trgm_ops)`.execute(db);
  await sql`create index leads_phone_last10_idx on leads (right(regexp_replace(phone, '[^0-9]', '', 'g'), 10))`.execute(db);
  await sql`create index leads_phone_digits_trgm_idx on leads
    using gin (regexp_replace(phone, '[^0-9]', '', 'g') gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists leads_phone_digits_trgm_idx`.execute(db);
  await sql`drop index if exists leads_phone_last10_idx`.execute(db);
  await sql`drop index if exists leads_email_trgm_idx`.execute(db);
  await sql`drop index if exists leads_company_trgm_idx`.execute(db);
  await sql`drop index if exists leads_full_name_trgm_idx`.execute(db);
  // The extension stays: dropping it would break anything else that came to rely on it.
}
