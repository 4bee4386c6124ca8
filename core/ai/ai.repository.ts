import { sql } from 'kysely';
import type { Db, Lead, LeadScore } from '../database.js';
import { eventOfHistory, webhookDeliveriesInsert } from '../webhooks/webhook-event.writer.js';
import type { AnalyzedBy, Recommendation } from './ai.constants.js';
import { qualityTierOf } from './ai.rules.js';

export interface SavedScore { score: number; recommendation: Recommendation; reason: string; analyzedBy: AnalyzedBy }
/** The AI worker's claimed request (ai-requests.repository.ts): the pass holding it by its lease token. */
export interface HeldRequest { id: number; token: string }

/**
 * Saves an analysis on its lead (§2, §5, §7) in ONE statement (issue 14:
 * one round trip instead of five): ai_score, ai_recommendation, ai_reason,
 * ai_analyzed_at and quality_tier on the lead, a lead_scores row, an
 * AI_ANALYZED history row (actor: who asked, null for the worker) and its
 * lead.updated webhook event carrying the lead as updated. The lead's
 * version is NOT bumped and its last_activity_at is not touched: a score
 * is not a change a card's buttons depend on (a new lead's card, pushed at
 * intake, stays usable when its score lands a second later), nor activity
 * on the lead (§10 stale rule). `request`, from the worker, is deleted in
 * the same statement. Returns null when the lead is gone or deleted
 * meanwhile (nothing saved; the request is deleted all the same).
 */
export async function saveScore(
  db: Db, p: { leadId: number; actorUserId: number | null; result: SavedScore; at: Date; request?: HeldRequest | undefined },
): Promise<{ lead: Lead; score: LeadScore } | null> {
  const { result } = p;
  const update = db.updateTable('leads')
    .set({
      ai_score: result.score, ai_recommendation: result.recommendation, ai_reason: result.reason,
      ai_analyzed_at: p.at, quality_tier: qualityTierOf(result.score), updated_at: sql`now()`,
    })
    .where('id', '=', p.leadId).where('is_deleted', '=', false)
    .returningAll();
  const event = eventOfHistory({ lead_id: p.leadId, action: 'AI_ANALYZED', actor_user_id: p.actorUserId });
  const deliveries = event ? sql`, deliveries as (${webhookDeliveriesInsert([event], { leadsFrom: sql`updated` }).statement})` : sql``;
  // The worker's request goes in the same statement (whether or not the lead was still there): a crash between
  // the two would otherwise analyse the lead again, a second paid call and a second history row.
  const completed = p.request
    ? sql`, completed as (delete from ai_analysis_requests where id = ${p.request.id} and lease_token = ${p.request.token})`
    : sql``;
  const { rows } = await sql<Lead & { lead_score_id: number }>`
    with updated as (${update}),
    score as (
      insert into lead_scores (lead_id, score, recommendation, reason, analyzed_by, created_at)
      select u.id, ${result.score}::float8, ${result.recommendation}::text, ${result.reason}::text, ${result.analyzedBy}::text,
        ${p.at}::timestamptz
      from updated u
      returning id, lead_id
    ),
    history as (
      insert into lead_history (lead_id, action, actor_user_id, details)
      select s.lead_id, 'AI_ANALYZED', ${p.actorUserId}::int, jsonb_build_object('score', ${result.score}::float8,
        'recommendation', ${result.recommendation}::text, 'analyzed_by', ${result.analyzedBy}::text, 'lead_score_id', s.id)
      from score s
    )${deliveries}${completed}
    select u.*, s.id as lead_score_id from updated u join score s on s.lead_id = u.id`.execute(db);
  const row = rows[0];
  if (!row) return null;
  const { lead_score_id: scoreId, ...lead } = row;
  return {
    lead,
    score: {
      id: scoreId, lead_id: lead.id, score: result.score, recommendation: result.recommendation, reason: result.reason,
      analyzed_by: result.analyzedBy, created_at: p.at,
    },
  };
}

/** The newest `limit` scores of a lead, newest first. */
export async function latestScores(db: Db, leadId: number, limit = 2): Promise<LeadScore[]> {
  return db.selectFrom('lead_scores').selectAll().where('lead_id', '=', leadId)
    .orderBy('id', 'desc').limit(limit).execute();
}

/** YYYY-MM-DD of `at` in UTC: the day AI_DAILY_CAP counts in. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Takes one model call of `day` if fewer than `cap` were taken (AI_DAILY_CAP,
 * §7): one statement, atomic across instances (the row is locked by the
 * upsert), so concurrent callers never go past the cap. Returns whether
 * the call may be made.
 */
export async function takeModelCall(db: Db, day: string, cap: number): Promise<boolean> {
  if (cap <= 0) return false;
  const row = await db.insertInto('ai_daily_usage').values({ day, model_calls: 1 })
    .onConflict((oc) => oc.column('day').doUpdateSet({ model_calls: sql`ai_daily_usage.model_calls + 1` })
      .where('ai_daily_usage.model_calls', '<', cap))
    .returning('model_calls').executeTakeFirst();
  return row !== undefined;
}

/** Model calls taken on `day` (UTC). */
export async function modelCallsOn(db: Db, day: string): Promise<number> {
  const row = await db.selectFrom('ai_daily_usage').select('model_calls').where('day', '=', day).executeTakeFirst();
  return row?.model_calls ?? 0;
}
