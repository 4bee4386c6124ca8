import { sql, type Kysely } from 'kysely';

/**
 * Intake: accept, journal, then process (§11, issue 14). A webhook's 2xx
 * now follows one INSERT of the submission (status 'pending'); a worker
 * claims pending rows (its lease in next_attempt_at), creates the lead or the
 * repeat inquiry (§4) and marks them 'done' with their outcome. A
 * submission that keeps failing is set aside as 'failed' for admins to
 * replay. 'retry': a provider retry that raced its first delivery past the
 * journal's check (duplicate_of: the submission it repeats). Rows from
 * before this change were processed when they were received: 'done'.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table intake_submissions
    add column status text not null default 'done' check (status in ('pending', 'processing', 'done', 'failed')),
    add column attempts integer not null default 0,
    add column next_attempt_at timestamptz not null default now(),
    add column last_error text,
    add column processed_at timestamptz,
    add column duplicate_of integer references intake_submissions (id),
    alter column outcome drop not null,
    drop constraint intake_submissions_outcome_check,
    add constraint intake_submissions_outcome_check check (outcome in ('created', 'duplicate', 'retry'))`.execute(db);
  await sql`alter table intake_submissions alter column status set default 'pending'`.execute(db);
  await sql`update intake_submissions set processed_at = created_at`.execute(db);
  // The worker's claim: due rows, oldest first; stays as small as the backlog.
  await sql`create index intake_due_idx on intake_submissions (next_attempt_at, id)
    where status in ('pending', 'processing')`.execute(db);
  // What admins see: the set-aside ones, newest first.
  await sql`create index intake_failed_idx on intake_submissions (id desc) where status = 'failed'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists intake_failed_idx`.execute(db);
  await sql`drop index if exists intake_due_idx`.execute(db);
  await sql`delete from intake_submissions where outcome is null or outcome = 'retry'`.execute(db);
  await sql`alter table intake_submissions
    drop constraint intake_submissions_outcome_check,
    add constraint intake_submissions_outcome_check check (outcome in ('created', 'duplicate')),
    alter column outcome set not null,
    drop column duplicate_of, drop column processed_at, drop column last_error,
    drop column next_attempt_at, drop column attempts, drop column status`.execute(db);
}
