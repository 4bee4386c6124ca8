import { sql, type Kysely } from 'kysely';

/**
 * §8, §9: the sales side. A deal is made from one lead by the transfer to
 * sales (unique lead_id: a lead is transferred once) and moves NEW → KYC →
 * AGREEMENT → PAID, or to LOST from any open stage. The amount is kept
 * exactly, as an integer of the currency's minor units (kopiyky, cents)
 * with its ISO 4217 code — never a float. deal_history is the deal's own
 * history (§5 for deals); deal_stale_alerts mirrors stale_alerts (§10): an
 * alert whose message failed does not count.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deals')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lead_id', 'integer', (c) => c.notNull().unique().references('leads.id'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('NEW')
      .check(sql`stage in ('NEW', 'KYC', 'AGREEMENT', 'PAID', 'LOST')`))
    .addColumn('amount_minor', 'bigint', (c) => c.check(sql`amount_minor > 0`))
    .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('lost_reason', 'text', (c) => c.check(sql`char_length(lost_reason) <= 512`))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('duration_days', 'integer', (c) => c.check(sql`duration_days >= 0`))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // §9: AGREEMENT and PAID need an amount; PAID says when it closed.
    .addCheckConstraint('deals_amount_from_agreement', sql`stage not in ('AGREEMENT', 'PAID') or amount_minor is not null`)
    .addCheckConstraint('deals_paid_closed', sql`stage <> 'PAID' or (closed_at is not null and duration_days is not null)`)
    .execute();
  // §15: sales(stage, lead_id); /deals per owner; the stale-deal look-up.
  await sql`create index deals_stage_lead_idx on deals (stage, lead_id)`.execute(db);
  await sql`create index deals_owner_stage_idx on deals (owner_id, stage, id desc)`.execute(db);
  await sql`create index deals_open_activity_idx on deals (last_activity_at)
    where stage in ('NEW', 'KYC', 'AGREEMENT')`.execute(db);

  await db.schema
    .createTable('deal_history')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text')
    .addColumn('reason', 'text')
    .addColumn('details', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index deal_history_deal_created_idx on deal_history (deal_id, created_at desc)`.execute(db);

  await db.schema
    .createTable('deal_stale_alerts')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('deal_id', 'integer', (c) => c.notNull().references('deals.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('stale_since', 'timestamptz', (c) => c.notNull())
    .addColumn('days_inactive', 'integer', (c) => c.notNull())
    .addColumn('notification_id', 'integer', (c) => c.references('notifications.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index deal_stale_alerts_deal_created_idx on deal_stale_alerts (deal_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deal_stale_alerts').execute();
  await db.schema.dropTable('deal_history').execute();
  await db.schema.dropTable('deals').execute();
}
