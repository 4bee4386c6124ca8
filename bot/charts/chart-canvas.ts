import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';

/**
 * Charts drawn in Node (§14): chart.js on @napi-rs/canvas (Skia, shipped as
 * a prebuilt package: no system libraries or fonts needed). The font is a
 * package too — Noto Sans from @expo-google-fonts/noto-sans, TTF files with
 * Cyrillic — registered by path, so Ukrainian labels render on any machine,
 * a bare container included.
 */
export const CHART_FONT = 'CRM Noto Sans';

let ready = false;
function setUp(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  for (const weight of ['400Regular/NotoSans_400Regular.ttf', '700Bold/NotoSans_700Bold.ttf']) {
    const path = require.resolve(`@expo-google-fonts/noto-sans/${weight}`);
    if (!GlobalFonts.registerFromPath(path, CHART_FONT)) throw new Error(`chart font could not be registered: ${path}`);
  }
  Chart.register(...registerables);
  Chart.defaults.font.family = CHART_FONT;
  Chart.defaults.font.size = 15;
  Chart.defaults.color = '#1f2937';
  ready = true;
}

/** A white page behind the chart: a PNG's transparency shows black in some Telegram clients. */
const background: Plugin = {
  id: 'crmBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Writes each bar's value beside it, so the picture reads without hovering (there is no hover in a photo). */
const barValues: Plugin = {
  id: 'crmBarValues',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `13px "${CHART_FONT}"`;
    ctx.fillStyle = '#111827';
    chart.data.datasets.forEach((dataset, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.type !== 'bar' || meta.hidden) return;
      meta.data.forEach((bar, j) => {
        const value = dataset.data[j];
        if (typeof value !== 'number') return;
        const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
        const horizontal = chart.options.indexAxis === 'y';
        ctx.textAlign = horizontal ? 'left' : 'center';
        ctx.textBaseline = horizontal ? 'middle' : 'bottom';
        ctx.fillText(String(Math.round(value * 10) / 10), horizontal ? x + 4 : x, horizontal ? y : y - 2);
      });
    });
    ctx.restore();
  },
};

export interface ChartSize { width: number; height: number }

/**
 * Draws one chart and returns it as PNG bytes. Synchronous and CPU-bound
 * (tens of ms): callers run it off the update's path (report-renderer.ts).
 */
export function renderChartPng(config: ChartConfiguration, size: ChartSize): Buffer {
  setUp();
  const canvas = createCanvas(size.width, size.height);
  const chart = new Chart(canvas as unknown as ConstructorParameters<typeof Chart>[0], {
    ...config,
    options: { ...config.options, responsive: false, animation: false, devicePixelRatio: 1 },
    plugins: [background, barValues, ...(config.plugins ?? [])],
  });
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

/**
 * Whether the chart font has real glyphs for `text` (not the empty box a
 * missing glyph draws): the text and a character no font has are drawn on
 * their own, and must differ. Used by the tests and by nothing else.
 */
export function fontRenders(text: string): boolean {
  setUp();
  const draw = (s: string) => {
    const canvas = createCanvas(40 * [...s].length, 60);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.font = `40px "${CHART_FONT}"`;
    ctx.fillStyle = '#000';
    ctx.fillText(s, 0, 45);
    return canvas.toBuffer('image/png');
  };
  const missing = draw('\u{10FFFD}'.repeat([...text].length));
  return [...text].every((ch) => !draw(ch).equals(draw('\u{10FFFD}'))) && !draw(text).equals(missing);
}
