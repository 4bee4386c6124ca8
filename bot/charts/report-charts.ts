import type { ChartConfiguration } from 'chart.js';
import type { MyStats, Report } from '../../core/index.js';
import type { Texts } from '../texts/index.js';
import type { ChartSize } from './chart-canvas.js';

/** Report images: wide enough to read on a phone once Telegram scales them down. */
export const REPORT_SIZE: ChartSize = { width: 1000, height: 620 };
/** /mystats is "a small chart". */
export const MY_STATS_SIZE: ChartSize = { width: 720, height: 420 };

const BLUE = '#3b82f6';
const GREEN = '#22c55e';
const RED = '#ef4444';
const GREY = '#94a3b8';

const title = (text: string, subtitle: string) => ({
  title: { display: true, text, font: { size: 22, weight: 'bold' as const } },
  subtitle: { display: true, text: subtitle, padding: { bottom: 12 } },
});

const bars = (
  labels: string[], datasets: { label: string; data: number[]; color: string }[], heading: string, range: string,
  horizontal = false,
): ChartConfiguration => ({
  type: 'bar',
  data: { labels, datasets: datasets.map((d) => ({ label: d.label, data: d.data, backgroundColor: d.color })) },
  options: {
    indexAxis: horizontal ? 'y' : 'x',
    layout: { padding: { left: 12, right: 40, top: 8, bottom: 8 } },
    plugins: { ...title(heading, range), legend: { position: 'bottom' } },
    scales: { [horizontal ? 'x' : 'y']: { beginAtZero: true, grace: '8%', ticks: { precision: 0 } } },
  },
});

/** The chart of one report, with every word in the reader's language (`range`: the period as they read it). */
export function reportChart(t: Texts, report: Report, range: string): ChartConfiguration {
  const r = t.reports;
  const heading = r.titles[report.kind];
  switch (report.kind) {
    case 'funnel': {
      const stages = report.funnel.stages;
      return bars(stages.map((s) => t.stages[s.stage]), [
        { label: r.reached, data: stages.map((s) => s.reached), color: BLUE },
        { label: r.now, data: stages.map((s) => s.now), color: GREEN },
      ], heading, range, true);
    }
    case 'sources': {
      const rows = [...report.sources, ...report.campaigns];
      const labels = [
        ...report.sources.map((s) => t.leadSources[s.source!]),
        ...report.campaigns.map((c) => r.campaign(c.utm_source, c.utm_campaign)),
      ];
      return bars(labels, [
        { label: r.leads, data: rows.map((x) => x.leads), color: BLUE },
        { label: r.converted, data: rows.map((x) => x.converted), color: GREEN },
        { label: r.lost, data: rows.map((x) => x.lost), color: RED },
      ], heading, range, true);
    }
    case 'tiers':
      return bars(report.tiers.map((x) => (x.tier ? x.tier : r.noTier)), [
        { label: r.leads, data: report.tiers.map((x) => x.leads), color: BLUE },
        { label: r.converted, data: report.tiers.map((x) => x.converted), color: GREEN },
        { label: r.lost, data: report.tiers.map((x) => x.lost), color: RED },
      ], heading, range);
    case 'managers':
      return bars(report.managers.map((m) => m.full_name), [
        { label: r.assigned, data: report.managers.map((m) => m.assigned), color: BLUE },
        { label: r.converted, data: report.managers.map((m) => m.converted), color: GREEN },
        { label: r.lost, data: report.managers.map((m) => m.lost), color: RED },
      ], heading, range, true);
  }
}

/** /mystats: four measures, mine beside the team's median (a missing value draws no bar). */
export function myStatsChart(t: Texts, s: MyStats, range: string): ChartConfiguration {
  const m = t.myStats.metrics;
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    type: 'bar',
    data: {
      labels: [m.firstContact, m.conversion, m.stale, m.won],
      datasets: [
        { label: t.myStats.me, data: [round(s.first_contact_hours), round(s.conversion_pct), s.stale, s.won], backgroundColor: BLUE },
        {
          label: t.myStats.team,
          data: [round(s.team_first_contact_hours), round(s.team_conversion_pct), round(s.team_stale), round(s.team_won)],
          backgroundColor: GREY,
        },
      ],
    },
    options: {
      plugins: { ...title(t.myStats.title, range), legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, grace: '12%' } },
    },
  };
}
