import { sql, type Kysely } from 'kysely';

/**
 * /find (§2, §15): the whole words of a lead's name and of its company, for
 * the exact-word look-up that runs before the typo-tolerant one. A common
 * surname is one short posting list here, where the trigram indexes merge
 * the posting lists of trigrams that thousands of other names share
 * ("-enko": 97,000 rows of 1,000,000, 45 ms).
 *
 * crm_lead_words cuts a text where pg_trgm would (spaces, punctuation), after
 * lower-casing it. It is PL/pgSQL, not an inlined SQL expression, so that its
 * declared cost stands: the planner costs a built-in regexp split like a
 * comparison, and under a LIMIT it chose a sequential scan that split every
 * name (360 ms at 1,000,000 leads) over the index (2 ms). Parallel restricted:
 * starting workers (10 ms) costs more than the few hundred rows they'd share.
 * No fast update: a look-up would also read the pending list of entries not
 * yet merged, up to 4 MB (2 ms became 20 ms after 1,000,000 inserts), while
 * a lead adds only a few words to merge at once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create function crm_lead_words(t text) returns text[]
    language plpgsql immutable strict parallel restricted cost 100 as $$
    begin
      return array_remove(regexp_split_to_array(lower(t), '[[:space:][:punct:]]+'), '');
    end $$`.execute(db);
  await sql`create index leads_full_name_words_idx on leads using gin (crm_lead_words(full_name)) with (fastupdate = off)`.execute(db);
  await sql`create index leads_company_words_idx on leads using gin (crm_lead_words(company)) with (fastupdate = off)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists leads_company_words_idx`.execute(db);
  await sql`drop index if exists leads_full_name_words_idx`.execute(db);
  await sql`drop function if exists crm_lead_words(text)`.execute(db);
}
