import type { Db, User } from '../database.js';
import { assertActive, assertCan } from '../access/access-policy.js';
import { ValidationError } from '../errors.js';
import { funnelRow, managerRows, sourceRows, tierRows, type FunnelRow, type ManagerRow, type SourceRow, type TierRow } from './report.repository.js';
import { myStatsRow, type MyStatsRow } from './my-stats.repository.js';
import { periodBounds, REPORT_PERIODS, type PeriodBounds, type ReportPeriod } from './report-period.rules.js';

export const REPORT_KINDS = ['funnel', 'sources', 'tiers', 'managers'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The funnel read model: stages in order with leads now in them and leads that got that far, and step conversions. */
export interface FunnelReport {
  total: number;
  stages: { stage: 'NEW' | 'CONTACTED' | 'QUALIFIED' | 'TRANSFERRED'; now: number; reached: number }[];
  lost: number;
  /** reached(to) / reached(from) × 100 (one decimal); null when nothing reached `from`. */
  conversions: { from: string; to: string; pct: number | null }[];
}

export type ReportData =
  | { kind: 'funnel'; funnel: FunnelReport }
  | { kind: 'sources'; sources: SourceRow[]; campaigns: SourceRow[] }
  | { kind: 'tiers'; tiers: TierRow[] }
  | { kind: 'managers'; managers: ManagerRow[] };

export type Report = ReportData & { period: ReportPeriod; bounds: PeriodBounds; timeZone: string };

export const pct = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((1000 * part) / whole) / 10 : null;

function funnelOf(r: FunnelRow): FunnelReport {
  const stages = [
    { stage: 'NEW' as const, now: r.now_new, reached: r.total },
    { stage: 'CONTACTED' as const, now: r.now_contacted, reached: r.reached_contacted },
    { stage: 'QUALIFIED' as const, now: r.now_qualified, reached: r.reached_qualified },
    { stage: 'TRANSFERRED' as const, now: r.now_transferred, reached: r.reached_transferred },
  ];
  const conversions = stages.slice(1).map((s, i) => ({
    from: stages[i]!.stage, to: s.stage, pct: pct(s.reached, stages[i]!.reached),
  }));
  return { total: r.total, stages, lost: r.now_lost, conversions };
}

export function checkPeriod(period: unknown): asserts period is ReportPeriod {
  if (!REPORT_PERIODS.includes(period as ReportPeriod)) {
    throw new ValidationError('period', `must be one of ${REPORT_PERIODS.join(', ')}`);
  }
}

/**
 * One /report (§14) for a manager or admin: `kind` over the leads created
 * in `period` as the viewer's time zone (`timeZone`) reads it at `now`.
 * One SQL aggregation per report. Throws ForbiddenError (agents, inactive),
 * ValidationError('kind' | 'period').
 */
export async function buildReport(
  db: Db, viewer: User, p: { kind: ReportKind; period: ReportPeriod; timeZone: string; now: Date },
): Promise<Report> {
  assertCan(viewer, 'reports.view');
  if (!REPORT_KINDS.includes(p.kind)) throw new ValidationError('kind', `must be one of ${REPORT_KINDS.join(', ')}`);
  checkPeriod(p.period);
  const bounds = periodBounds(p.period, p.now, p.timeZone);
  const base = { period: p.period, bounds, timeZone: p.timeZone };
  switch (p.kind) {
    case 'funnel': return { ...base, kind: 'funnel', funnel: funnelOf(await funnelRow(db, bounds)) };
    case 'sources': {
      const rows = await sourceRows(db, bounds);
      return { ...base, kind: 'sources', sources: rows.filter((r) => r.kind === 'source'), campaigns: rows.filter((r) => r.kind === 'campaign') };
    }
    case 'tiers': return { ...base, kind: 'tiers', tiers: await tierRows(db, bounds) };
    case 'managers': return { ...base, kind: 'managers', managers: await managerRows(db, bounds) };
  }
}

export type MyStats = MyStatsRow & { period: ReportPeriod; bounds: PeriodBounds; timeZone: string };

/**
 * /mystats (§14), for every active user: their time to first contact,
 * conversion, stale leads and won deals against the team's medians.
 * Throws ForbiddenError (inactive), ValidationError('period').
 */
export async function buildMyStats(
  db: Db, viewer: User, p: { period: ReportPeriod; timeZone: string; now: Date; staleAfterDays: number },
): Promise<MyStats> {
  assertActive(viewer);
  checkPeriod(p.period);
  const bounds = periodBounds(p.period, p.now, p.timeZone);
  const staleBefore = new Date(p.now.getTime() - p.staleAfterDays * 86_400_000);
  const row = await myStatsRow(db, { ...bounds, userId: viewer.id, staleBefore });
  return { ...row, period: p.period, bounds, timeZone: p.timeZone };
}
