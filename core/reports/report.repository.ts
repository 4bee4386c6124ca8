import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { LeadSource, QualityTier } from '../leads/lead.constants.js';
import type { PeriodBounds } from './report-period.rules.js';
import { daysToPaidSelect, salesJoin } from './report-deals.seam.js';

/*
 * §14 reports, each ONE SQL aggregation over the leads created in the
 * period (not deleted): the stage a lead is in now, and the stages its
 * history shows it passed through. Counts are ::int, averages float8.
 */

/** Rows of the funnel: how many leads are in each stage now, and how many got at least that far. */
export interface FunnelRow {
  total: number;
  now_new: number; now_contacted: number; now_qualified: number; now_transferred: number; now_lost: number;
  reached_contacted: number; reached_qualified: number; reached_transferred: number;
}

// A stage counts as reached when the lead is in it or past it now, or its history moved it there
// (a lead lost from QUALIFIED reached CONTACTED and QUALIFIED; a rollback does not undo the reach).
// The history is read once, grouped per lead (a hash join), not probed per lead.
export async function funnelRow(db: Db, p: PeriodBounds): Promise<FunnelRow> {
  const { rows } = await sql<FunnelRow>`
    with period_leads as (
      select l.id, l.stage from leads l
      where not l.is_deleted and l.created_at >= ${p.from} and l.created_at < ${p.to}
    ), reach as (
      select h.lead_id,
        bool_or(h.to_stage in ('CONTACTED', 'QUALIFIED', 'TRANSFERRED')) as contacted,
        bool_or(h.to_stage in ('QUALIFIED', 'TRANSFERRED')) as qualified
      from lead_history h join period_leads pl on pl.id = h.lead_id
      where h.to_stage is not null
      group by h.lead_id
    )
    select count(*)::int as total,
      count(*) filter (where l.stage = 'NEW')::int as now_new,
      count(*) filter (where l.stage = 'CONTACTED')::int as now_contacted,
      count(*) filter (where l.stage = 'QUALIFIED')::int as now_qualified,
      count(*) filter (where l.stage = 'TRANSFERRED')::int as now_transferred,
      count(*) filter (where l.stage = 'LOST')::int as now_lost,
      count(*) filter (where l.stage in ('CONTACTED', 'QUALIFIED', 'TRANSFERRED') or r.contacted)::int as reached_contacted,
      count(*) filter (where l.stage in ('QUALIFIED', 'TRANSFERRED') or r.qualified)::int as reached_qualified,
      count(*) filter (where l.stage = 'TRANSFERRED')::int as reached_transferred
    from period_leads l left join reach r on r.lead_id = l.id`.execute(db);
  return rows[0]!;
}

export interface SourceRow {
  /** 'source' rows group by lead source; 'campaign' rows by utm_source + utm_campaign. */
  kind: 'source' | 'campaign';
  source: LeadSource | null;
  utm_source: string | null;
  utm_campaign: string | null;
  leads: number;
  converted: number;
  lost: number;
}

/** Leads per source and per campaign (UTM) in one pass: GROUPING SETS. Most leads first. */
export async function sourceRows(db: Db, p: PeriodBounds): Promise<SourceRow[]> {
  const { rows } = await sql<SourceRow>`
    select case when grouping(l.source) = 0 then 'source' else 'campaign' end as kind,
      l.source, l.utm_source, l.utm_campaign,
      count(*)::int as leads,
      count(*) filter (where l.stage = 'TRANSFERRED')::int as converted,
      count(*) filter (where l.stage = 'LOST')::int as lost
    from leads l
    where not l.is_deleted and l.created_at >= ${p.from} and l.created_at < ${p.to}
    group by grouping sets ((l.source), (l.utm_source, l.utm_campaign))
    order by kind desc, leads desc, l.source, l.utm_source nulls last, l.utm_campaign nulls last`.execute(db);
  return rows;
}

export interface TierRow {
  /** null: not scored yet. */
  tier: QualityTier | null;
  leads: number;
  converted: number;
  lost: number;
  avg_score: number | null;
}

/** Leads per quality tier (§2), HOT first, unscored last. */
export async function tierRows(db: Db, p: PeriodBounds): Promise<TierRow[]> {
  const { rows } = await sql<TierRow>`
    select l.quality_tier as tier, count(*)::int as leads,
      count(*) filter (where l.stage = 'TRANSFERRED')::int as converted,
      count(*) filter (where l.stage = 'LOST')::int as lost,
      avg(l.ai_score)::float8 as avg_score
    from leads l
    where not l.is_deleted and l.created_at >= ${p.from} and l.created_at < ${p.to}
    group by l.quality_tier
    order by case l.quality_tier when 'HOT' then 0 when 'WARM' then 1 when 'COLD' then 2 when 'DEAD' then 3 else 4 end`.execute(db);
  return rows;
}

export interface ManagerRow {
  user_id: number;
  full_name: string;
  assigned: number;
  converted: number;
  lost: number;
  /** converted / assigned × 100, one decimal; null with nothing assigned. */
  conversion_pct: number | null;
  avg_score: number | null;
  /** Average days from the lead's creation to its deal's PAID; null while none is paid. */
  avg_days_to_paid: number | null;
}

/**
 * Manager performance (§14): every agent and manager who is active or holds
 * leads of the period — assigned, converted (TRANSFERRED), lost,
 * conversion %, average AI score, average days lead → PAID. One GROUP BY.
 */
export async function managerRows(db: Db, p: PeriodBounds): Promise<ManagerRow[]> {
  const { rows } = await sql<ManagerRow>`
    select u.id as user_id, u.full_name,
      count(l.id)::int as assigned,
      count(l.id) filter (where l.stage = 'TRANSFERRED')::int as converted,
      count(l.id) filter (where l.stage = 'LOST')::int as lost,
      round(100.0 * count(l.id) filter (where l.stage = 'TRANSFERRED') / nullif(count(l.id), 0), 1)::float8 as conversion_pct,
      avg(l.ai_score)::float8 as avg_score,
      ${daysToPaidSelect()} as avg_days_to_paid
    from users u
    left join leads l on l.assigned_to = u.id and not l.is_deleted
      and l.created_at >= ${p.from} and l.created_at < ${p.to}
    ${salesJoin()}
    where u.role in ('agent', 'manager')
    group by u.id, u.full_name, u.status
    having u.status = 'active' or count(l.id) > 0
    order by assigned desc, converted desc, u.full_name, u.id`.execute(db);
  return rows;
}

/** Changes whenever a lead (or its history) does: the cache key of rendered reports. One round trip. */
export async function reportDataVersion(db: Db): Promise<string> {
  const { rows } = await sql<{ v: string }>`
    select concat_ws(':', (select count(*) from leads), (select coalesce(max(id), 0) from lead_history),
      (select coalesce(extract(epoch from max(updated_at)) * 1000000, 0)::bigint from leads)) as v`.execute(db);
  return rows[0]!.v;
}
