import { sql } from 'kysely';
import type { Db, IntakeSubmission } from '../database.js';
import { PAYLOAD_DEDUP_HOURS, type SubmissionKey } from './intake-submission.repository.js';

/**
 * The intake journal (§11, issue 14): SQL for submissions accepted and not
 * yet processed, and for those set aside.
 */

/** One accepted delivery as the journal keeps it. */
export type JournalEntry = SubmissionKey & { contentType: string; rawBody: string };

/**
 * The durable write of accepted deliveries, one statement for any number
 * of them: each as received, 'pending', unless it is a provider retry —
 * the same provider id ever (the unique index decides races), or the same
 * body within PAYLOAD_DEDUP_HOURS, in the table or earlier in `entries`
 * (two retries racing past this check in different statements are caught
 * by the worker, findEarlierHashTwin). The same statement ends each
 * source's run of unprocessable submissions (form_source_health; no write
 * when there is none) unless `endStreak` is false. Returns, in input
 * order, each new submission's id, or null for a retry.
 */
export async function journalSubmissions(db: Db, entries: readonly JournalEntry[], endStreak = true): Promise<(number | null)[]> {
  if (entries.length === 0) return [];
  const firstOf = new Map<string, number>();
  const fresh: (JournalEntry & { ord: number })[] = [];
  entries.forEach((e, ord) => {
    const keys = [`h:${e.formSourceId}:${e.payloadHash}`, ...(e.externalId === null ? [] : [`x:${e.formSourceId}:${e.externalId}`])];
    if (keys.some((k) => firstOf.has(k))) return;
    for (const k of keys) firstOf.set(k, ord);
    fresh.push({ ...e, ord });
  });
  const rows = fresh.map((e) => ({
    ord: e.ord, form_source_id: e.formSourceId, external_id: e.externalId, payload_hash: e.payloadHash,
    content_type: e.contentType.slice(0, 200), raw_body: e.rawBody,
  }));
  const accepted = endStreak ? sql`, streak as (
      update form_source_health set unprocessable_streak = 0, updated_at = now()
      where form_source_id in (select form_source_id from entry) and unprocessable_streak > 0
    )` : sql``;
  const result = await sql<{ id: number; form_source_id: number; payload_hash: string }>`
    with entry as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json)
        as e(ord int, form_source_id int, external_id text, payload_hash text, content_type text, raw_body text)
    )${accepted}
    insert into intake_submissions (form_source_id, external_id, payload_hash, content_type, raw_body, status)
    select e.form_source_id, e.external_id, e.payload_hash, e.content_type, e.raw_body, 'pending' from entry e
    where not exists (
      select 1 from intake_submissions s
      where s.form_source_id = e.form_source_id and s.payload_hash = e.payload_hash
        and s.created_at > now() - make_interval(hours => ${PAYLOAD_DEDUP_HOURS}))
    order by e.ord
    on conflict (form_source_id, external_id) where external_id is not null do nothing
    returning id, form_source_id, payload_hash`.execute(db);
  // Within `fresh`, a source's payload hash is unique: it names the row.
  const idOf = new Map(result.rows.map((r) => [`${r.form_source_id}:${r.payload_hash}`, r.id]));
  const ids: (number | null)[] = entries.map(() => null);
  for (const e of fresh) ids[e.ord] = idOf.get(`${e.formSourceId}:${e.payloadHash}`) ?? null;
  return ids;
}

/** journalSubmissions for one delivery: its new submission's id, or null for a provider retry. */
export async function journalSubmission(db: Db, entry: JournalEntry, endStreak = true): Promise<number | null> {
  return (await journalSubmissions(db, [entry], endStreak))[0]!;
}

/**
 * Claims up to `limit` due submissions for this worker: pending ones whose
 * time has come, and claims whose lease ran out (a worker that died). Safe
 * with several workers (FOR UPDATE SKIP LOCKED): each row goes to one.
 * The claim holds for `leaseMs`; `attempts` counts claims and is the token
 * completeSubmission checks.
 */
export async function claimSubmissions(db: Db, p: { limit: number; leaseMs: number }): Promise<IntakeSubmission[]> {
  const result = await sql<IntakeSubmission>`
    update intake_submissions s set status = 'processing', attempts = s.attempts + 1,
      next_attempt_at = now() + make_interval(secs => ${p.leaseMs / 1000})
    from (
      select id from intake_submissions
      where status in ('pending', 'processing') and next_attempt_at <= now()
      order by next_attempt_at, id limit ${p.limit}
      for update skip locked
    ) due
    where s.id = due.id
    returning s.*`.execute(db);
  return result.rows.sort((a, b) => a.id - b.id);
}

/**
 * An earlier submission of the same source with the same body within
 * PAYLOAD_DEDUP_HOURS before this one (§11): two provider retries that
 * were journaled at once. Set-aside ones count too: replaying one would
 * otherwise create the lead twice.
 */
export async function findEarlierHashTwin(db: Db, s: IntakeSubmission): Promise<IntakeSubmission | undefined> {
  return db.selectFrom('intake_submissions').selectAll()
    .where('form_source_id', '=', s.form_source_id).where('payload_hash', '=', s.payload_hash)
    .where('id', '<', s.id)
    .where('created_at', '>', sql<Date>`${s.created_at}::timestamptz - make_interval(hours => ${PAYLOAD_DEDUP_HOURS})`)
    .orderBy('id').limit(1).executeTakeFirst();
}

/**
 * Marks a claimed submission done — only if the claim `attempts` is still
 * ours (a lease that ran out may have been taken over). Returns whether it
 * was: false means another worker has it, and the caller rolls back.
 */
export async function completeSubmission(db: Db, p: {
  id: number; attempts: number; outcome: 'created' | 'duplicate' | 'retry'; leadId: number | null; duplicateOf?: number | null;
}): Promise<boolean> {
  const row = await db.updateTable('intake_submissions')
    .set({ status: 'done', outcome: p.outcome, lead_id: p.leadId, duplicate_of: p.duplicateOf ?? null, processed_at: sql`now()`, last_error: null })
    .where('id', '=', p.id).where('status', '=', 'processing').where('attempts', '=', p.attempts)
    .returning('id').executeTakeFirst();
  return row !== undefined;
}

/**
 * A claimed submission that failed: back to pending after `retryInMs`, or
 * set aside ('failed') when `retryInMs` is null. Returns false when the
 * claim was no longer ours.
 */
export async function failSubmission(db: Db, p: { id: number; attempts: number; error: string; retryInMs: number | null }): Promise<boolean> {
  const row = await db.updateTable('intake_submissions')
    .set({
      status: p.retryInMs === null ? 'failed' : 'pending',
      last_error: p.error.slice(0, 500),
      next_attempt_at: p.retryInMs === null ? sql`now()` : sql`now() + make_interval(secs => ${p.retryInMs / 1000})`,
    })
    .where('id', '=', p.id).where('status', '=', 'processing').where('attempts', '=', p.attempts)
    .returning('id').executeTakeFirst();
  return row !== undefined;
}

const setAside = (db: Db) => db.selectFrom('intake_submissions as s').innerJoin('form_sources as f', 'f.id', 's.form_source_id')
  .select(['s.id', 's.form_source_id', 'f.name as source_name', 's.attempts', 's.last_error', 's.created_at', 's.next_attempt_at as failed_at'])
  .where('s.status', '=', 'failed');

/** A set-aside submission as admins see it (never its body: it holds a person's contacts). */
export type SetAsideSubmission = Awaited<ReturnType<ReturnType<typeof setAside>['executeTakeFirstOrThrow']>>;

/** Set-aside submissions, newest first (id keyset: before `beforeId`). */
export async function listFailedSubmissions(db: Db, p: { limit: number; beforeId?: number }): Promise<SetAsideSubmission[]> {
  return setAside(db).$if(p.beforeId !== undefined, (qb) => qb.where('s.id', '<', p.beforeId!))
    .orderBy('s.id', 'desc').limit(p.limit).execute();
}

/** One submission, if it is set aside. */
export async function findFailedSubmission(db: Db, id: number): Promise<SetAsideSubmission | undefined> {
  return setAside(db).where('s.id', '=', id).executeTakeFirst();
}

/** Puts a set-aside submission back in the queue, due now, with its attempts reset. Returns whether it was set aside. */
export async function requeueSubmission(db: Db, id: number): Promise<boolean> {
  const row = await db.updateTable('intake_submissions')
    .set({ status: 'pending', attempts: 0, next_attempt_at: sql`now()` })
    .where('id', '=', id).where('status', '=', 'failed').returning('id').executeTakeFirst();
  return row !== undefined;
}

/** How many submissions wait (pending or claimed) and how many are set aside (for /health, /metrics, admins). */
export async function journalCounts(db: Db): Promise<{ waiting: number; failed: number }> {
  const row = await db.selectFrom('intake_submissions')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('status', 'in', ['pending', 'processing']).as('waiting'),
      eb.fn.countAll<number>().filterWhere('status', '=', 'failed').as('failed'),
    ])
    .where('status', 'in', ['pending', 'processing', 'failed'])
    .executeTakeFirstOrThrow();
  return { waiting: Number(row.waiting), failed: Number(row.failed) };
}
