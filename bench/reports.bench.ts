import { createCanvas } from '@napi-rs/canvas';
import { sql } from 'kysely';
import { pino } from 'pino';
import { renderChartPng } from '../bot/charts/chart-canvas.js';
import { REPORT_SIZE, reportChart } from '../bot/charts/report-charts.js';
import { textsFor } from '../bot/texts/index.js';
import { periodRange } from '../bot/views/report.view.js';
import { createConfig } from '../config.js';
import { createCore, REPORT_KINDS, type ReportKind } from '../core/index.js';
import { createMemoryStore } from '../core/store/memory-store.js';
import { createBenchDb } from './bench-db.js';

const LEADS = 50_000;
const RUNS = 9;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * /report on 50,000 leads (90 days, 3 history rows each, 20 people): the
 * median time of each report's one SQL aggregation beside a bare
 * `count(*)` of the same leads, and the time to draw each chart beside
 * encoding a blank PNG of the same size.
 */
export async function benchReports() {
  const database = await createBenchDb('reports', 4);
  try {
    const db = database.db;
    await sql`insert into users (telegram_id, full_name, role, status, capacity, language)
      select 800000 + g, 'Agent ' || g, 'agent', 'active', 5000, 'en' from generate_series(1, 20) g`.execute(db);
    await sql`insert into leads (source, full_name, email, stage, assigned_to, ai_score, quality_tier, utm_source, utm_campaign, created_at, last_activity_at)
      select (array['WEB','REFERRAL','SOCIAL','MANUAL','PARTNER'])[1 + g % 5], 'Lead ' || g, 'b' || g || '@example.com',
        (array['NEW','CONTACTED','QUALIFIED','TRANSFERRED','LOST'])[1 + g % 5],
        (select min(id) from users) + g % 20, (g % 100) / 100.0,
        (array['HOT','WARM','COLD','DEAD'])[1 + g % 4], (array['google','fb',null])[1 + g % 3], 'c' || g % 7,
        now() - (g % 90) * interval '1 day', now() - (g % 30) * interval '1 day'
      from generate_series(1, ${LEADS}) g`.execute(db);
    await sql`insert into lead_history (lead_id, action, from_stage, to_stage, created_at)
      select l.id, 'STAGE_CHANGED', 'NEW', s.stage, l.created_at + interval '3 hours'
      from leads l cross join (values ('CONTACTED'), ('QUALIFIED'), ('LOST')) s(stage)`.execute(db);
    await sql`analyze`.execute(db);
    const config = createConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    const core = createCore({ db, store: createMemoryStore(), config, logger: pino({ level: 'silent' }) });
    const viewer = await db.insertInto('users').values({
      telegram_id: 899_999, username: null, full_name: 'Manager', role: 'manager', status: 'active', capacity: 1, language: 'en',
    }).returningAll().executeTakeFirstOrThrow();
    const baseline = await timed(() => sql`select count(*) from leads where not is_deleted and created_at >= now() - interval '90 days'`.execute(db));
    const queries = {} as Record<ReportKind, number>;
    const charts = {} as Record<ReportKind, number>;
    const t = textsFor('uk', 'UTC');
    for (const kind of REPORT_KINDS) {
      queries[kind] = await timed(() => core.reports.report(viewer, { kind, period: 'd90' }));
      const report = await core.reports.report(viewer, { kind, period: 'd90' });
      charts[kind] = await timed(() => renderChartPng(reportChart(t, report, periodRange(t, 'uk', report.bounds)), REPORT_SIZE));
    }
    const myStats = await timed(() => core.reports.myStats(viewer, 'd90'));
    const blankPng = await timed(() => createCanvas(REPORT_SIZE.width, REPORT_SIZE.height).toBuffer('image/png'));
    return { leads: LEADS, baseline, queries, myStats, charts, blankPng };
  } finally {
    await database.close();
  }
}

export function reportsReport(r: Awaited<ReturnType<typeof benchReports>>): string[] {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  return [
    `\nReports (§14) on ${r.leads.toLocaleString('en-US')} leads over 90 days, median of ${RUNS}`,
    `  bare count(*) of the period : ${ms(r.baseline)}`,
    ...REPORT_KINDS.map((k) => `  ${k.padEnd(27)} : ${ms(r.queries[k])} query (${(r.queries[k] / r.baseline).toFixed(1)}x count)   ${ms(r.charts[k])} chart`),
    `  mystats                     : ${ms(r.myStats)} query (${(r.myStats / r.baseline).toFixed(1)}x count)`,
    `  blank ${'1000×620'} PNG encode   : ${ms(r.blankPng)} (the floor of any chart)`,
  ];
}
