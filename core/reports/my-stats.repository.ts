import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { PeriodBounds } from './report-period.rules.js';
import { wonDealsSelect } from './report-deals.seam.js';

/** One person's numbers beside the team's medians (§14 /mystats). */
export interface MyStatsRow {
  /** Average hours from a lead's creation to its first move to CONTACTED; null: none contacted. */
  first_contact_hours: number | null;
  assigned: number;
  converted: number;
  /** converted / assigned × 100; null with nothing assigned. */
  conversion_pct: number | null;
  /** Stale now (§10), whatever the period. */
  stale: number;
  /** Deals won (PAID) in the period. */
  won: number;
  team_first_contact_hours: number | null;
  team_conversion_pct: number | null;
  team_stale: number | null;
  team_won: number | null;
}

/**
 * The viewer's numbers and the team's medians in ONE statement: a per-user
 * aggregate over the team (active agents and managers, plus the viewer),
 * then the viewer's row and percentile_cont(0.5) of each column over the
 * team. Leads are those created in the period and held by the person now;
 * stale counts leads in CONTACTED/QUALIFIED untouched since staleBefore.
 * A median skips people with nothing to measure (null).
 */
export async function myStatsRow(db: Db, p: PeriodBounds & { userId: number; staleBefore: Date }): Promise<MyStatsRow> {
  const { rows } = await sql<MyStatsRow>`
    with team as (
      select id, true as in_team from users where status = 'active' and role in ('agent', 'manager')
    ), people as (
      select id, bool_or(in_team) as in_team from (
        select id, in_team from team union all select ${p.userId}::int, false
      ) t group by id
    ), period_leads as (
      select l.id, l.assigned_to, l.stage, l.created_at
      from leads l
      where not l.is_deleted and l.assigned_to is not null and l.created_at >= ${p.from} and l.created_at < ${p.to}
    ), first_contact as (
      -- Each period lead's first move to CONTACTED, from its history read once (grouped, not probed per lead).
      select h.lead_id, min(h.created_at) as contacted_at
      from lead_history h join period_leads pl on pl.id = h.lead_id
      where h.to_stage = 'CONTACTED'
      group by h.lead_id
    ), stale as (
      select s.assigned_to as id, count(*)::int as n from leads s
      where not s.is_deleted and s.stage in ('CONTACTED', 'QUALIFIED') and s.last_activity_at < ${p.staleBefore}
        and s.assigned_to in (select id from people)
      group by s.assigned_to
    ), per_user as (
      select pe.id, pe.in_team,
        (avg(extract(epoch from (fc.contacted_at - pl.created_at))) / 3600)::float8 as first_contact_hours,
        count(pl.id)::int as assigned,
        count(pl.id) filter (where pl.stage = 'TRANSFERRED')::int as converted,
        (100.0 * count(pl.id) filter (where pl.stage = 'TRANSFERRED') / nullif(count(pl.id), 0))::float8 as conversion_pct,
        coalesce(max(st.n), 0)::int as stale,
        ${wonDealsSelect(p)}::int as won
      from people pe
      left join period_leads pl on pl.assigned_to = pe.id
      left join first_contact fc on fc.lead_id = pl.id
      left join stale st on st.id = pe.id
      group by pe.id, pe.in_team
    )
    select me.first_contact_hours, me.assigned, me.converted, me.conversion_pct, me.stale, me.won,
      (select percentile_cont(0.5) within group (order by first_contact_hours) from per_user where in_team)::float8
        as team_first_contact_hours,
      (select percentile_cont(0.5) within group (order by conversion_pct) from per_user where in_team)::float8
        as team_conversion_pct,
      (select percentile_cont(0.5) within group (order by stale) from per_user where in_team)::float8 as team_stale,
      (select percentile_cont(0.5) within group (order by won) from per_user where in_team)::float8 as team_won
    from per_user me where me.id = ${p.userId}`.execute(db);
  return rows[0]!;
}
