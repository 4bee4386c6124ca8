import { sql, type Kysely } from 'kysely';

/**
 * Issue 11, follow-ups that never slip:
 * - leads.first_contacted_at: when someone first reached the lead (moved it
 *   to CONTACTED, or answered its customer), for speed-to-lead;
 * - notifications.max_attempts: a cap on delivery attempts (reminders, §10:
 *   3), null for the usual "until OUTBOX_MAX_AGE_HOURS";
 * - reminders: a follow-up set on a lead, delivered through the outbox;
 * - lead_escalations: each rung a lead climbed, once per period (`period`
 *   names the alert that started it), so it never climbs twice;
 * - users.digest_enabled / digest_minutes and digests: the daily digest,
 *   one per person and local date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table leads add column first_contacted_at timestamptz`.execute(db);
  await sql`alter table notifications add column max_attempts int check (max_attempts > 0)`.execute(db);
  await sql`alter table users
    add column digest_enabled boolean not null default true,
    add column digest_minutes smallint check (digest_minutes between 0 and 1439)`.execute(db);

  await sql`create table reminders (
    id serial primary key,
    lead_id int not null references leads(id) on delete cascade,
    user_id int not null references users(id) on delete cascade,
    due_at timestamptz not null,
    body text check (char_length(body) between 1 and 500),
    status text not null default 'scheduled'
      check (status in ('scheduled', 'sent', 'failed', 'done', 'cancelled')),
    notification_id int references notifications(id) on delete set null,
    failure text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index reminders_user_idx on reminders (user_id, due_at) where status in ('scheduled', 'failed')`.execute(db);
  await sql`create index reminders_lead_idx on reminders (lead_id, due_at) where status = 'scheduled'`.execute(db);
  await sql`create index reminders_notification_idx on reminders (notification_id)`.execute(db);

  await sql`create table lead_escalations (
    id serial primary key,
    lead_id int not null references leads(id) on delete cascade,
    cause text not null check (cause in ('sla', 'stale')),
    period text not null,
    rung smallint not null check (rung between 1 and 3),
    owner_id int references users(id) on delete set null,
    created_at timestamptz not null default now(),
    unique (lead_id, period, rung)
  )`.execute(db);

  await sql`create table digests (
    user_id int not null references users(id) on delete cascade,
    local_date date not null,
    created_at timestamptz not null default now(),
    primary key (user_id, local_date)
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists digests`.execute(db);
  await sql`drop table if exists lead_escalations`.execute(db);
  await sql`drop table if exists reminders`.execute(db);
  await sql`alter table users drop column if exists digest_minutes, drop column if exists digest_enabled`.execute(db);
  await sql`alter table notifications drop column if exists max_attempts`.execute(db);
  await sql`alter table leads drop column if exists first_contacted_at`.execute(db);
}
