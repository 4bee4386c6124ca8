import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database, Db, Lead, User } from '../database.js';
import { ValidationError } from '../errors.js';
import { inTransaction } from '../transaction.js';
import { assertActive, can } from '../access/access-policy.js';
import { MIN_PHONE_DIGITS, MIN_TEXT_LENGTH, parseSearchQuery, type SearchQuery } from './lead-search.query.js';

export type LeadSearchHit = Lead & {
  /**
   * Higher is better: 3 the whole phone number or the email exactly; 2.5 the
   * same trailing 10 phone digits; 2 the name or company exactly; 1 a phone
   * fragment or the text found inside the email; otherwise the best trigram
   * word similarity (0–1) of the text in name or company (or email, for an
   * address with a typo).
   */
  score: number;
};

/**
 * pg_trgm's `<%` keeps rows whose word similarity reaches this. Its default
 * (0.6) misses a swapped pair of letters in a short name ("Petorv" in "Ivan
 * Petrov" scores 0.43); much lower lets unrelated names in. The operator
 * reads it from a setting (not an argument), and only the operator uses the
 * GIN indexes, so it is set for the search's own transaction.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.4;
/** Most typo-tolerant text matches ranked for one /find (see searchLeads). */
export const MAX_CANDIDATES = 500;
/**
 * Most whole-word matches ranked for one /find: they all hold every word
 * typed, so ranking tells apart little more than word order. 100 holds every
 * "Olena Kovalenko" of the bench's 1,000,000 leads; ranking costs 27 µs a lead.
 */
export const MAX_WHOLE_WORD_CANDIDATES = 100;

// These expressions must stay identical to the index definitions
// (migrations/2026_11_22_000300_create_lead_search_indexes.ts).
const phoneDigits = sql<string>`regexp_replace(phone, '[^0-9]', '', 'g')`;
const phoneLast10 = sql<string>`right(regexp_replace(phone, '[^0-9]', '', 'g'), 10)`;

interface Match {
  where: Expression<SqlBool>;
  score: RawBuilder<number>;
  /** Orders equal scores: "petorv" is as word-similar to "Peterson" as to "Petrov", but closer to the whole word Petrov. */
  closeness: RawBuilder<number> | null;
}

function phoneMatch(q: Extract<SearchQuery, { kind: 'phone' }>): Match {
  return {
    // Digits only: the LIKE pattern cannot carry wildcards from the user.
    where: q.whole ? sql<SqlBool>`${phoneLast10} = ${q.suffix}` : sql<SqlBool>`${phoneDigits} like ${`%${q.suffix}`}`,
    score: sql<number>`cast(case when ${phoneDigits} = ${q.digits} then 3
      else ${sql.lit(q.whole ? 2.5 : 1)} end as double precision)`,
    closeness: null,
  };
}

/** A LIKE pattern that finds `text` anywhere, with the user's own % _ \\ taken literally. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Names and companies are matched by word similarity (typos welcome). Emails
 * are matched literally — the whole address, or a word found inside it
 * ("petrov" in d.petrov@acme.io) — and by similarity only for a word that is
 * an address itself (has an @): similarity against every long email is
 * where the time would go, and a name search already forgives the typos.
 */
function textMatch(q: Extract<SearchQuery, { kind: 'text' }>): Match {
  const t = q.text;
  const emailArm = (w: string) => (w.includes('@') ? sql<SqlBool>`${w} <% email` : sql<SqlBool>`email like ${containsPattern(w)}`);
  const anyField = (w: string) => sql<SqlBool>`(${w} <% lower(full_name) or ${w} <% lower(company) or ${emailArm(w)})`;
  const emailScore = t.includes('@')
    ? sql`word_similarity(${t}, email)`
    : sql`case when email like ${containsPattern(t)} then 1 else 0 end`;
  return {
    where: sql<SqlBool>`(email = ${t} or (${sql.join(q.words.map(anyField), sql` and `)}))`,
    score: sql<number>`cast(case when email = ${t} then 3
      when lower(full_name) = ${t} or lower(company) = ${t} then 2
      else greatest(word_similarity(${t}, lower(full_name)), word_similarity(${t}, lower(company)), ${emailScore}, 0)
      end as double precision)`,
    closeness: sql<number>`greatest(strict_word_similarity(${t}, lower(full_name)),
      strict_word_similarity(${t}, lower(company)), 0)`,
  };
}

// The whole words of each, as indexed (migrations/2026_12_03_000100_index_lead_name_words.ts).
const nameWords = sql<string[]>`crm_lead_words(full_name)`;
const companyWords = sql<string[]>`crm_lead_words(company)`;

/** The leads `actor` may see and that are not deleted. */
const visible = (trx: Db, actor: User) => trx.selectFrom('leads')
  .where('is_deleted', '=', false)
  .$if(!can(actor, 'leads.all'), (qb) => qb.where('assigned_to', '=', actor.id));

type LeadIds = SelectQueryBuilder<Database, 'leads', { id: number }>;

/** Which leads one ranked SELECT looks at, and which of them go first. */
interface Pool {
  where?: Expression<SqlBool>;
  /** Lead ids to rank: a bounded subquery. */
  candidates?: (trx: Db) => LeadIds;
  /** Leads ranked before every other, whatever their score. */
  first?: readonly number[];
}

/** One SELECT: the best `limit` visible leads of `pool`, by the match's score (see LeadSearchHit). */
function ranked(trx: Db, actor: User, match: Match, pool: Pool, limit: number): Promise<LeadSearchHit[]> {
  const first = pool.first ?? [];
  const inPool = (eb: ExpressionBuilder<Database, 'leads'>) => eb.and([
    ...(pool.where ? [pool.where] : []),
    ...(pool.candidates ? [eb('id', 'in', pool.candidates(trx))] : []),
  ]);
  return visible(trx, actor).selectAll().select(match.score.as('score'))
    .where((eb) => (first.length ? eb.or([inPool(eb), eb('id', 'in', first)]) : inPool(eb)))
    .$if(first.length > 0, (qb) => qb.orderBy(sql`id in (${sql.join(first)})`, 'desc'))
    .orderBy('score', 'desc')
    .$if(match.closeness !== null, (qb) => qb.orderBy(match.closeness!, 'desc'))
    .orderBy('id', 'desc').limit(limit)
    .execute();
}

/**
 * Leads whose name, or whose company, has every one of `words` as a whole
 * word: at most MAX_WHOLE_WORD_CANDIDATES, as the index finds them. One
 * posting list per word, however common — where a trigram look-up for
 * "Kovalenko" merges those of every "-enko" (97,000 rows of 1,000,000, 45 ms,
 * before any LIMIT).
 */
const wholeWordCandidates = (actor: User, words: readonly string[]) => (trx: Db): LeadIds => {
  const list = sql<string[]>`array[${sql.join(words)}]::text[]`;
  return visible(trx, actor).select('id')
    .where(sql<SqlBool>`(${nameWords} @> ${list} or ${companyWords} @> ${list})`)
    .limit(MAX_WHOLE_WORD_CANDIDATES);
};

/**
 * /find (§2, §15): the leads `actor` may see (an agent's own; every lead for
 * managers and admins), not deleted, that match `query` — a phone number in
 * any format (matched on its trailing digits, see lead-search.query.ts), an
 * email (case-insensitive), or a name or company with typos (pg_trgm word
 * similarity ≥ WORD_SIMILARITY_THRESHOLD). A text without an @ is first
 * looked up as whole words: leads whose name, or whose company, holds every
 * word typed come before typo matches ("Ilse Nakamura" finds Ilse Brandvold
 * Nakamura before Ilse Nakamuro), and when there are `limit` of them the
 * typo-tolerant look-up does not run. Then best first (see LeadSearchHit
 * .score; ties: the closer whole word, then newest), at most `limit` (1–50,
 * default 10). Text ranks at most MAX_WHOLE_WORD_CANDIDATES, then at most
 * MAX_CANDIDATES matches, taken as the index finds them. One or two SELECTs;
 * the typo-tolerant one first sets two settings for its transaction (below) —
 * inside a caller's transaction they stay for the rest of it. Throws
 * ValidationError('query') when the query is empty or too short
 * (parseSearchQuery returns null), and ForbiddenError for a user who is not active.
 */
export async function searchLeads(
  db: Db, actor: User, query: string, opts: { limit?: number } = {},
): Promise<LeadSearchHit[]> {
  assertActive(actor);
  const parsed = parseSearchQuery(query);
  if (!parsed) {
    throw new ValidationError('query', `at least ${MIN_TEXT_LENGTH} characters or ${MIN_PHONE_DIGITS} digits`);
  }
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), 50);
  if (parsed.kind === 'phone') {
    const match = phoneMatch(parsed);
    return ranked(db, actor, match, { where: match.where }, limit);
  }
  const match = textMatch(parsed);
  // A common surname: thousands of leads have it whole, and any `limit` of them
  // answer; the typo-tolerant look-up would cost 75 ms to say nothing better.
  const whole = parsed.wholeWords.length
    ? await ranked(db, actor, match, { candidates: wholeWordCandidates(actor, parsed.wholeWords) }, limit)
    : [];
  if (whole.length >= limit) return whole;
  // Text search ranks at most MAX_CANDIDATES matches, taken as the index finds them:
  // a common surname matched 7,000 leads at 1,000,000 and every one was fetched
  // and scored (p99 3.5 s); a more specific text (a first name too, a company)
  // has fewer matches than the bound.
  const typoCandidates = (trx: Db): LeadIds => visible(trx, actor).select('id')
    .where(match.where).limit(MAX_CANDIDATES);
  return inTransaction(db, async (trx) => {
    // Both settings last until this transaction ends. pg_trgm's operators are
    // costed like a plain comparison, so on a large table the planner picks a
    // sequential scan that computes word similarity for every row (0.7 s at
    // 100,000 leads, against 30 ms on the trigram indexes); this search is
    // index-driven by design, so sequential scans are ruled out for it.
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true),
      set_config('enable_seqscan', 'off', true)`.execute(trx);
    const first = whole.map((h) => h.id);
    return ranked(trx, actor, match, { where: match.where, candidates: typoCandidates, first }, limit);
  });
}
