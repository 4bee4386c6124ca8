/**
 * Figures over repeated rounds: every bench figure is printed as the median
 * of its rounds with the spread (lowest–highest), beside a ceiling measured
 * in the same rounds, so a noisy shared machine shows as spread, not as a
 * wrong ratio.
 */
export interface Spread { median: number; min: number; max: number; rounds: number }

export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN, rounds: 0 };
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, rounds: sorted.length };
}

/** q-quantile (0..1) of unsorted samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const fmt = (n: number, digits = 0) => Number.isFinite(n)
  ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';

/** "1,234 (1,100–1,300)" — the median with its spread; the spread is left out after one round. */
export function showSpread(s: Spread, digits = 0, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (s.rounds <= 1) return `${fmt(s.median, digits)}${u}`;
  return `${fmt(s.median, digits)}${u} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

/** A ratio per round (figure/ceiling of that round), as a spread. */
export const ratios = (figures: readonly number[], ceilings: readonly number[]): Spread =>
  spreadOf(figures.map((f, i) => f / ceilings[i]!));

/** "goal ≥ 0.6: met" / "not met". */
export const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
