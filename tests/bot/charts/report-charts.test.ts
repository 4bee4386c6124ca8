import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontRenders, renderChartPng } from '../../../bot/charts/chart-canvas.js';
import { MY_STATS_SIZE, myStatsChart, REPORT_SIZE, reportChart } from '../../../bot/charts/report-charts.js';
import { textsFor } from '../../../bot/texts/index.js';
import { periodRange } from '../../../bot/views/report.view.js';
import { REPORT_KINDS, type Core, type DbHandle, type Language } from '../../../core/index.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { NOW, ZONE, seedReports, type Seeded } from '../../core/reports/report-seed.js';

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
const ARTIFACTS = 'tests/artifacts/charts';

let h: DbHandle;
let core: Core;
let s: Seeded;
beforeAll(async () => {
  h = await createTestDb();
  core = createTestCore(h, createTestStore(), { TEAM_TIMEZONE: ZONE }, undefined, () => NOW);
  s = await seedReports(h.db);
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => { await h.close(); });

describe('report charts (§14)', () => {
  it('the packaged font draws Ukrainian letters (not the empty boxes of a missing glyph)', () => {
    expect(fontRenders('Воронка')).toBe(true);
    expect(fontRenders('їєґІЇ')).toBe(true);
  });

  for (const language of ['en', 'uk'] as const satisfies readonly Language[]) {
    it(`every report and /mystats draw as a PNG of the set size, not blank, in ${language}`, async () => {
      const t = textsFor(language, ZONE);
      for (const kind of REPORT_KINDS) {
        const report = await core.reports.report(s.mia, { kind, period: 'd7' });
        const config = reportChart(t, report, periodRange(t, language, report.bounds));
        const png = renderChartPng(config, REPORT_SIZE);
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect(pngSize(png)).toEqual(REPORT_SIZE);
        // A blank 1000×620 white PNG compresses to ~3 KB; bars, labels and a legend take far more.
        expect(png.length).toBeGreaterThan(15_000);
        writeFileSync(`${ARTIFACTS}/${kind}-${language}.png`, png);
      }
      const stats = await core.reports.myStats(s.ann, 'd7');
      const png = renderChartPng(myStatsChart(t, stats, periodRange(t, language, stats.bounds)), MY_STATS_SIZE);
      expect(pngSize(png)).toEqual(MY_STATS_SIZE);
      expect(png.length).toBeGreaterThan(8_000);
      writeFileSync(`${ARTIFACTS}/mystats-${language}.png`, png);
    });
  }

  it('the Ukrainian chart carries Ukrainian labels: its words differ from the English ones and draw with real glyphs', async () => {
    const report = await core.reports.report(s.mia, { kind: 'funnel', period: 'd7' });
    const en = textsFor('en', ZONE);
    const uk = textsFor('uk', ZONE);
    const ukConfig = reportChart(uk, report, periodRange(uk, 'uk', report.bounds));
    const title = (ukConfig.options?.plugins?.title as { text: string }).text;
    expect(title).toBe('Воронка');
    const legend = ukConfig.data.datasets.map((d) => d.label!);
    expect(legend).toEqual(['Дійшли до етапу', 'Зараз на етапі']);
    for (const word of [title, ...legend]) expect(fontRenders(word)).toBe(true);
    const enPng = renderChartPng(reportChart(en, report, periodRange(en, 'en', report.bounds)), REPORT_SIZE);
    expect(renderChartPng(ukConfig, REPORT_SIZE).equals(enPng)).toBe(false);
  });
});
