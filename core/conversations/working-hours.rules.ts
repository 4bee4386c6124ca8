/**
 * The team's working hours (§12), pure. A schedule is written like
 * `mon-fri 09:00-18:00; sat 10:00-14:00` (days: mon … sun, single or a
 * range, comma-separated; ranges HH:MM-HH:MM, comma-separated, end after
 * start, 24:00 allowed); `none` means never open. Days off are calendar
 * dates (YYYY-MM-DD) in the team's timezone on which nobody works.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Minutes since local midnight, [start, end), per weekday (0 = Monday). */
export type Schedule = readonly (readonly (readonly [number, number])[])[];

export interface TeamHours {
  schedule: Schedule;
  timeZone: string;
  /** YYYY-MM-DD dates, local to timeZone. */
  daysOff: ReadonlySet<string>;
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

function minutesOf(text: string): number {
  const m = TIME.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a time (HH:MM)`);
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 24 * 60) throw new Error(`"${text}" is past 24:00`);
  return minutes;
}

function daysOf(text: string): number[] {
  const days = new Set<number>();
  for (const part of text.toLowerCase().split(',').map((p) => p.trim()).filter(Boolean)) {
    const ends = part.split('-').map((d) => WEEKDAYS.indexOf(d.trim() as (typeof WEEKDAYS)[number]));
    const from = ends[0]!;
    const to = ends[1] ?? from;
    if (ends.length > 2 || from < 0 || to < 0) throw new Error(`"${part}" is not a day or a range of days (mon … sun)`);
    // A range may wrap around the week: fri-mon.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === to) break;
    }
  }
  return [...days];
}

/**
 * Parses a schedule (see the module doc). Throws Error with a message fit
 * for a configuration error.
 */
export function parseSchedule(spec: string): Schedule {
  const week: [number, number][][] = WEEKDAYS.map(() => []);
  const text = spec.trim();
  if (text.toLowerCase() === 'none') return week;
  const groups = text.split(/[;\n]/).map((g) => g.trim()).filter(Boolean);
  if (!groups.length) throw new Error('is empty (write e.g. "mon-fri 09:00-18:00", or "none")');
  for (const group of groups) {
    const space = group.search(/\s/);
    if (space < 0) throw new Error(`"${group}" needs days and hours, e.g. "mon-fri 09:00-18:00"`);
    const days = daysOf(group.slice(0, space));
    for (const range of group.slice(space).split(',').map((r) => r.trim()).filter(Boolean)) {
      const [a, b, ...rest] = range.split('-');
      if (a === undefined || b === undefined || rest.length) throw new Error(`"${range}" is not a range (HH:MM-HH:MM)`);
      const start = minutesOf(a);
      const end = minutesOf(b);
      if (end <= start) throw new Error(`"${range}" ends before it starts (write overnight hours as two days)`);
      for (const d of days) week[d]!.push([start, end]);
    }
  }
  return week.map((ranges) => ranges.sort((x, y) => x[0] - y[0]));
}

/** Parses days off: YYYY-MM-DD dates, comma-separated. Throws Error. */
export function parseDaysOff(spec: string | undefined): Set<string> {
  const days = new Set<string>();
  for (const part of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(part) || Number.isNaN(Date.parse(`${part}T00:00:00Z`))) {
      throw new Error(`"${part}" is not a date (YYYY-MM-DD)`);
    }
    days.add(part);
  }
  return days;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in timeZone at `at`: its calendar date, weekday (0 = Monday) and minutes since midnight. */
export function localTime(at: Date, timeZone: string): { date: string; weekday: number; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, weekday: weekdayOf(date), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Weekday of a calendar date, 0 = Monday (the same in every timezone). */
const weekdayOf = (date: string): number => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;

function previousDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Whether the team works at `at` (not a day off, inside one of the day's ranges). */
export function isWorkingTime(at: Date, hours: TeamHours): boolean {
  const now = localTime(at, hours.timeZone);
  if (hours.daysOff.has(now.date)) return false;
  return hours.schedule[now.weekday]!.some(([start, end]) => now.minutes >= start && now.minutes < end);
}

/**
 * The off-hours period `at` falls in, as a stable key — the local time the
 * team last stopped working (`2026-12-04T18:00`), or `closed` when it has
 * not worked in the last two weeks — or null during working hours. Two
 * moments of one evening, night and weekend share the key, so an auto-reply
 * keyed by it goes out once per period (§12).
 */
export function offHoursPeriod(at: Date, hours: TeamHours): string | null {
  if (isWorkingTime(at, hours)) return null;
  const now = localTime(at, hours.timeZone);
  let date = now.date;
  let before = now.minutes;
  for (let day = 0; day < 14; day++) {
    if (!hours.daysOff.has(date)) {
      const ends = hours.schedule[weekdayOf(date)]!.map(([, end]) => end).filter((end) => end <= before);
      if (ends.length) return `${date}T${hhmm(Math.max(...ends))}`;
    }
    date = previousDate(date);
    before = 24 * 60;
  }
  return 'closed';
}
