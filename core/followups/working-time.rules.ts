import { localTime, type TeamHours } from '../conversations/working-hours.rules.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

/** Whether a schedule has any working time at all (`none` has not: then time counts on the wall clock). */
export function hasWorkingTime(hours: TeamHours): boolean {
  return hours.schedule.some((ranges) => ranges.length > 0);
}

/**
 * The moment `minutes` of working time (issue 11: SLA, the ladder) have
 * passed since `start`: only minutes inside the team's working hours count,
 * none on days off. Without any working time (schedule `none`) they count on
 * the wall clock. Walks range by range (a few steps even over a long
 * weekend); the local time is re-read at each step, so a DST change mid-walk
 * costs no more than the hour it moves. Pure.
 */
export function addWorkingTime(start: Date, minutes: number, hours: TeamHours): Date {
  if (!hasWorkingTime(hours)) return new Date(start.getTime() + minutes * MINUTE_MS);
  let at = start.getTime();
  let left = minutes * MINUTE_MS;
  for (let step = 0; left > 0 && step < 2_000; step++) {
    const d = new Date(at);
    const local = localTime(d, hours.timeZone);
    const m = local.minutes + (d.getUTCSeconds() * 1000 + d.getUTCMilliseconds()) / MINUTE_MS;
    const ranges = hours.daysOff.has(local.date) ? [] : hours.schedule[local.weekday]!;
    const inside = ranges.find(([s, e]) => m >= s && m < e);
    if (inside) {
      const take = Math.min(left, (inside[1] - m) * MINUTE_MS);
      at += take;
      left -= take;
      continue;
    }
    const next = ranges.find(([s]) => s > m);
    at += ((next ? next[0] : DAY_MINUTES) - m) * MINUTE_MS;
  }
  return new Date(at);
}

/** The zone's offset from UTC at `at`, in minutes (Europe/Kyiv in winter: 120). */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const local = localTime(at, timeZone);
  const wall = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * MINUTE_MS;
  return Math.round((wall - Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** The instant a wall-clock time (`date` YYYY-MM-DD, `minutes` since midnight) happens in `timeZone`. */
export function zonedTime(date: string, minutes: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE_MS;
  const guess = wall - zoneOffsetMinutes(new Date(wall), timeZone) * MINUTE_MS;
  // Once more at the guess: right across a DST change.
  return new Date(wall - zoneOffsetMinutes(new Date(guess), timeZone) * MINUTE_MS);
}

/** The calendar date `days` after `date` (YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "09:30" → 570. */
export const minutesOfClock = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
