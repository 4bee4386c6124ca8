import { localTime } from '../conversations/working-hours.rules.js';

/** The periods /report offers (§14): the last 7, 30 or 90 days, this calendar month, the last one. */
export const REPORT_PERIODS = ['d7', 'd30', 'd90', 'month', 'last_month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** A half-open range [from, to) of instants. */
export interface PeriodBounds { from: Date; to: Date }

const DAYS: Partial<Record<ReportPeriod, number>> = { d7: 7, d30: 30, d90: 90 };

/** Offset of timeZone from UTC at `at`, in ms (Kyiv in summer: +3 h). */
function offsetMs(at: Date, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a calendar date ("2026-12-02") begins in timeZone (daylight saving included). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // Two passes: the offset at the guess may differ from the offset at local midnight across a DST change.
  let at = midnightUtc - offsetMs(new Date(midnightUtc), timeZone);
  at = midnightUtc - offsetMs(new Date(at), timeZone);
  return new Date(at);
}

const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * The instants a period covers for a viewer in `timeZone` at `now` (§14):
 * d7/d30/d90 — from the start of the local day N−1 days ago (so "7 days"
 * is today and the 6 days before it) to now; month — from the 1st of this
 * local month to now; last_month — the whole previous local month. Pure.
 */
export function periodBounds(period: ReportPeriod, now: Date, timeZone: string): PeriodBounds {
  const today = localTime(now, timeZone).date;
  const days = DAYS[period];
  if (days) return { from: startOfLocalDay(addDays(today, -(days - 1)), timeZone), to: now };
  const firstOfMonth = `${today.slice(0, 8)}01`;
  if (period === 'month') return { from: startOfLocalDay(firstOfMonth, timeZone), to: now };
  const d = new Date(`${firstOfMonth}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return { from: startOfLocalDay(d.toISOString().slice(0, 10), timeZone), to: startOfLocalDay(firstOfMonth, timeZone) };
}

/** A period's days as the viewer reads them: the first and the last local date it covers. */
export function periodDates(bounds: PeriodBounds, timeZone: string): { first: string; last: string } {
  return { first: localTime(bounds.from, timeZone).date, last: localTime(new Date(bounds.to.getTime() - 1), timeZone).date };
}
