import { sql, type Kysely } from 'kysely';

/**
 * §7 AI analysis:
 * - lead_scores: the score history of each lead (its last two give the trend);
 * - ai_analyses: the audit log, one row per analysis (model or fallback),
 *   written after the answer; lead_score_id ties it to the score it produced;
 * - ai_feedback: a manager's [👎 Disagree] on one analysis, one per person;
 * - ai_daily_usage: model calls per UTC day, counted atomically against AI_DAILY_CAP.
 * Allowed values are checked here as the constants in core/ai/ai.constants.ts list them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('lead_scores')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addColumn('score', 'double precision', (c) => c.notNull().check(sql`score between 0 and 1`))
    .addColumn('recommendation', 'text', (c) =>
      c.notNull().check(sql`recommendation in ('transfer_to_sales', 'continue_nurturing', 'lost')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('analyzed_by', 'text', (c) => c.notNull().check(sql`analyzed_by in ('openai', 'fallback')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index lead_scores_lead_idx on lead_scores (lead_id, id desc)`.execute(db);

  await db.schema.createTable('ai_analyses')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addColumn('lead_score_id', 'integer', (c) => c.references('lead_scores.id').onDelete('set null'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('input_sha256', 'text', (c) => c.notNull().check(sql`input_sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('score', 'double precision', (c) => c.notNull().check(sql`score between 0 and 1`))
    .addColumn('recommendation', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('tokens_input', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tokens_output', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tokens_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', 'numeric(14, 8)', (c) => c.notNull().defaultTo(0))
    .addColumn('is_fallback', 'boolean', (c) => c.notNull())
    .addColumn('fallback_reason', 'text')
    // Whether a model call was made (and counted against the cap): a fallback after a 500 was one, one past the cap was not.
    .addColumn('model_called', 'boolean', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('ai_analyses_fallback_reason', sql`is_fallback = (fallback_reason is not null)`)
    .execute();
  await sql`create index ai_analyses_created_idx on ai_analyses (created_at desc)`.execute(db);
  await sql`create index ai_analyses_lead_idx on ai_analyses (lead_id, created_at desc)`.execute(db);

  await db.schema.createTable('ai_feedback')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lead_score_id', 'integer', (c) => c.notNull().references('lead_scores.id').onDelete('cascade'))
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('leads.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('too_high', 'too_low', 'wrong_recommendation')`))
    .addColumn('comment', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('ai_feedback_one_per_user', ['lead_score_id', 'user_id'])
    .execute();
  await sql`create index ai_feedback_created_idx on ai_feedback (created_at desc)`.execute(db);

  await db.schema.createTable('ai_daily_usage')
    .addColumn('day', 'date', (c) => c.primaryKey())
    .addColumn('model_calls', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ai_daily_usage').execute();
  await db.schema.dropTable('ai_feedback').execute();
  await db.schema.dropTable('ai_analyses').execute();
  await db.schema.dropTable('lead_scores').execute();
}
