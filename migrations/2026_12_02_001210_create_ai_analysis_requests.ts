import { sql, type Kysely } from 'kysely';

/**
 * The AI worker's queue (§7 "when"): a row per analysis to run. Triggers on
 * leads add one for every new lead and for every lead that reaches
 * QUALIFIED, in the transaction that made the change (whatever path made
 * it: a form, the bot, an import, a bulk move), so intake never waits for
 * the model and no lead is missed; a NOTIFY on `crm_ai` wakes the workers
 * of every instance at commit. Workers claim rows with SKIP LOCKED under a
 * lease and delete them when done. A lead that already waits for an
 * unclaimed analysis gets no second one.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('ai_analysis_requests')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('created', 'qualified')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('lease_token', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index ai_analysis_requests_due_idx on ai_analysis_requests (available_at, id)`.execute(db);
  await sql`create index ai_analysis_requests_lead_idx on ai_analysis_requests (lead_id)`.execute(db);

  await sql`create function crm_request_ai_analysis() returns trigger language plpgsql as $$
    declare
      cause text := case when tg_op = 'INSERT' then 'created' else 'qualified' end;
    begin
      if new.is_deleted then return null; end if;
      if not exists (select 1 from ai_analysis_requests r where r.lead_id = new.id and r.lease_token is null) then
        insert into ai_analysis_requests (lead_id, trigger) values (new.id, cause);
        perform pg_notify('crm_ai', '');
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger leads_request_ai_on_insert after insert on leads
    for each row execute function crm_request_ai_analysis()`.execute(db);
  await sql`create trigger leads_request_ai_on_qualified after update of stage on leads
    for each row when (new.stage = 'QUALIFIED' and old.stage is distinct from 'QUALIFIED')
    execute function crm_request_ai_analysis()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists leads_request_ai_on_qualified on leads`.execute(db);
  await sql`drop trigger if exists leads_request_ai_on_insert on leads`.execute(db);
  await sql`drop function if exists crm_request_ai_analysis()`.execute(db);
  await db.schema.dropTable('ai_analysis_requests').execute();
}
