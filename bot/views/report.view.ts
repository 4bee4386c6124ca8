import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import {
  periodDates, REPORT_KINDS, toCsv, REPORT_PERIODS, type Language, type MyStats, type PeriodBounds, type Report, type ReportKind,
  type ReportPeriod,
} from '../../core/index.js';
import { myStatsData, reportCsvData, reportShowData } from '../callback-data/reports.js';
import type { Texts } from '../texts/index.js';

const LOCALES: Record<Language, string> = { en: 'en-GB', uk: 'uk' };

/** The period as its reader reads it: "26 Nov 2026 – 2 Dec 2026" in their language and zone. */
export function periodRange(t: Texts, language: Language, bounds: PeriodBounds): string {
  const { first, last } = periodDates(bounds, t.time.zone);
  const f = new Intl.DateTimeFormat(LOCALES[language], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return t.reports.range(f.format(new Date(`${first}T00:00:00Z`)), f.format(new Date(`${last}T00:00:00Z`)));
}

/** /report: the reports to choose from (each opens on 30 days). */
export function renderReportMenu(t: Texts): { text: string; markup: InlineKeyboardMarkup } {
  const rows = REPORT_KINDS.map((kind) => [{ text: t.reports.kinds[kind], callback_data: reportShowData.pack({ kind, period: 'd30' }) }]);
  return { text: t.reports.choose, markup: { inline_keyboard: rows } };
}

const periodRows = (t: Texts, current: ReportPeriod, pack: (period: ReportPeriod) => string): InlineKeyboardButton[][] => {
  const buttons = REPORT_PERIODS.map((period) => ({
    text: `${period === current ? '✓ ' : ''}${t.reports.periods[period]}`, callback_data: pack(period),
  }));
  return [buttons.slice(0, 3), buttons.slice(3)];
};

/** The keyboard under a report photo: periods, 📄 CSV, and the other reports. */
export function reportKeyboard(t: Texts, kind: ReportKind, period: ReportPeriod): InlineKeyboardMarkup {
  const others = REPORT_KINDS.filter((k) => k !== kind)
    .map((k) => ({ text: t.reports.kinds[k], callback_data: reportShowData.pack({ kind: k, period }) }));
  return {
    inline_keyboard: [
      ...periodRows(t, period, (p) => reportShowData.pack({ kind, period: p })),
      [{ text: t.reports.csv, callback_data: reportCsvData.pack({ kind, period }) }],
      others.slice(0, 2), others.slice(2),
    ].filter((row) => row.length > 0),
  };
}

export const myStatsKeyboard = (t: Texts, period: ReportPeriod): InlineKeyboardMarkup =>
  ({ inline_keyboard: periodRows(t, period, (p) => myStatsData.pack({ period: p })) });

/** The short text under a report's chart (HTML). */
export function reportCaption(t: Texts, report: Report, range: string): string {
  const r = t.reports;
  const head = `📊 <b>${r.titles[report.kind]}</b> · ${range}`;
  const body = (() => {
    switch (report.kind) {
      case 'funnel': {
        const f = report.funnel;
        if (f.total === 0) return r.empty;
        const steps = f.conversions.map((c) => r.summary.step(t.stages[c.to as 'CONTACTED'], c.pct)).join('\n');
        return r.summary.funnel(f.total, steps, f.lost);
      }
      case 'sources': {
        const total = report.sources.reduce((n, s) => n + s.leads, 0);
        const top = report.sources[0];
        return top ? r.summary.sources(total, t.leadSources[top.source!]) : r.empty;
      }
      case 'tiers': {
        const total = report.tiers.reduce((n, x) => n + x.leads, 0);
        const scored = report.tiers.filter((x) => x.tier).reduce((n, x) => n + x.leads, 0);
        const hot = report.tiers.find((x) => x.tier === 'HOT')?.leads ?? 0;
        return total ? r.summary.tiers(scored, total, hot) : r.empty;
      }
      case 'managers': {
        const assigned = report.managers.reduce((n, m) => n + m.assigned, 0);
        const converted = report.managers.reduce((n, m) => n + m.converted, 0);
        return r.summary.managers(report.managers.length, assigned, converted);
      }
    }
  })();
  return `${head}\n${body}`;
}

export const myStatsCaption = (t: Texts, s: MyStats, range: string): string => t.myStats.caption({
  range, fc: s.first_contact_hours, teamFc: s.team_first_contact_hours, conv: s.conversion_pct,
  teamConv: s.team_conversion_pct, stale: s.stale, teamStale: s.team_stale, won: s.won, teamWon: s.team_won,
});

/** CSV columns are codes, the same in every language (a spreadsheet or script reads them). */
const CSV_COLUMNS = {
  funnel: ['stage', 'in_stage_now', 'reached', 'conversion_from_previous_pct'],
  sources: ['kind', 'source', 'utm_source', 'utm_campaign', 'leads', 'transferred', 'lost', 'conversion_pct'],
  tiers: ['quality_tier', 'leads', 'transferred', 'lost', 'avg_ai_score'],
  managers: ['user_id', 'name', 'assigned', 'transferred', 'lost', 'conversion_pct', 'avg_ai_score', 'avg_days_to_paid'],
} as const satisfies Record<ReportKind, readonly string[]>;

export const reportFileName = (kind: ReportKind, period: ReportPeriod, first: string) => `report-${kind}-${period}-${first}.csv`;

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : '');
const num = (x: number | null) => (x === null ? '' : Math.round(x * 10_000) / 10_000);

/** A report as CSV (core's toCsv: BOM, CRLF, formula-safe cells): codes and numbers, not words, so any spreadsheet reads it. */
export function reportCsv(report: Report): Buffer {
  const header = CSV_COLUMNS[report.kind];
  const rows: (string | number)[][] = (() => {
    switch (report.kind) {
      case 'funnel':
        return report.funnel.stages.map((s, i) => [s.stage, s.now, s.reached, i === 0 ? '' : (report.funnel.conversions[i - 1]!.pct ?? '')]);
      case 'sources':
        return [...report.sources, ...report.campaigns].map((s) => [
          s.kind, s.source ?? '', s.utm_source ?? '', s.utm_campaign ?? '', s.leads, s.converted, s.lost, pct(s.converted, s.leads),
        ]);
      case 'tiers':
        return report.tiers.map((x) => [x.tier ?? '', x.leads, x.converted, x.lost, num(x.avg_score)]);
      case 'managers':
        return report.managers.map((m) => [
          m.user_id, m.full_name, m.assigned, m.converted, m.lost, m.conversion_pct ?? '', num(m.avg_score), num(m.avg_days_to_paid),
        ]);
    }
  })();
  return toCsv(header, rows);
}
