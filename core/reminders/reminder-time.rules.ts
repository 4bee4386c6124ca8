import * as chrono from 'chrono-node';
import type { Language } from '../users/user.constants.js';
import { localTime } from '../conversations/working-hours.rules.js';
import { addDays, zonedTime, zoneOffsetMinutes } from '../followups/working-time.rules.js';

/** The quick choices of ⏰ Remind (§10) and of a delivered reminder's snooze buttons. */
export const REMINDER_PRESETS = ['m15', 'h1', 'morning'] as const;
export type ReminderPreset = (typeof REMINDER_PRESETS)[number];

export interface ReminderClock {
  now: Date;
  /** The person's IANA zone. */
  timeZone: string;
  /** "Tomorrow morning", minutes since local midnight (REMINDER_MORNING). */
  morningMinutes: number;
}

/** When a preset falls: in 15 minutes, in an hour, or tomorrow morning in the person's zone. Pure. */
export function presetTime(preset: ReminderPreset, clock: ReminderClock): Date {
  if (preset === 'm15') return new Date(clock.now.getTime() + 15 * 60_000);
  if (preset === 'h1') return new Date(clock.now.getTime() + 60 * 60_000);
  const today = localTime(clock.now, clock.timeZone).date;
  return zonedTime(addDays(today, 1), clock.morningMinutes, clock.timeZone);
}

export interface ParsedReminder { dueAt: Date; body: string | null }

const PARSERS: Record<Language, chrono.Chrono> = { en: chrono.en.GB, uk: chrono.uk.casual };
// 12.03, 12.03 10:30, 12/03/2027 9:00: chrono reads neither dotted dates nor day-first slashes in every locale.
const DAY_MONTH = /^\s*(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?(?:\s+(?:at\s+|о\s+|об\s+)?(\d{1,2})[:.](\d{2}))?(?=\s|$)/i;
// Not \b: it knows only ASCII letters, so it never ends a Cyrillic word.
const RELATIVE = /^(in|через)(?=\s|$)/i;

/**
 * Reads a typed reminder time (§10) and the text after it: "in 3 days",
 * "fri 15:00 call back", "12.03 10:30", "завтра о 9:00", "через 2 години
 * передзвонити". chrono-node does English and Ukrainian (the person's
 * language first, then the other); dotted day-first dates are read here.
 * A day without a time means that day's morning. Times are the person's
 * zone. Returns null when no time is found. Pure.
 */
export function parseReminderInput(input: string, language: Language, clock: ReminderClock): ParsedReminder | null {
  const text = input.replace(/[’ʼ`]/g, "'").trim();
  const dotted = parseDayMonth(text, clock);
  // A day.month that is no date ("32.13") is refused, not read as its time alone.
  if (dotted !== undefined) return dotted;
  const reference = { instant: clock.now, timezone: zoneOffsetMinutes(clock.now, clock.timeZone) };
  const order: Language[] = language === 'uk' ? ['uk', 'en'] : ['en', 'uk'];
  for (const lang of order) {
    const [result] = PARSERS[lang].parse(text, reference, { forwardDate: true });
    if (!result) continue;
    let dueAt = result.start.date();
    if (!result.start.isCertain('hour') && !RELATIVE.test(result.text)) {
      dueAt = zonedTime(localTime(dueAt, clock.timeZone).date, clock.morningMinutes, clock.timeZone);
    }
    const rest = `${text.slice(0, result.index)} ${text.slice(result.index + result.text.length)}`;
    return { dueAt, body: cleanBody(rest) };
  }
  return null;
}

/** undefined: the text does not start with a day.month; null: it does, but that is no date. */
function parseDayMonth(text: string, clock: ReminderClock): ParsedReminder | null | undefined {
  const m = DAY_MONTH.exec(text);
  if (!m) return undefined;
  const [all, d, mo, y, h, mi] = m;
  const day = Number(d);
  const month = Number(mo);
  const today = localTime(clock.now, clock.timeZone).date;
  let year = y ? Number(y.length === 2 ? `20${y}` : y) : Number(today.slice(0, 4));
  const minutes = h === undefined ? clock.morningMinutes : Number(h) * 60 + Number(mi);
  if (month < 1 || month > 12 || day < 1 || day > 31 || minutes >= 24 * 60) return null;
  const date = (yy: number) => `${yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (Number.isNaN(Date.parse(`${date(year)}T00:00:00Z`)) || new Date(`${date(year)}T00:00:00Z`).getUTCDate() !== day) return null;
  let dueAt = zonedTime(date(year), minutes, clock.timeZone);
  // A date without a year that has passed this year means next year's.
  if (!y && dueAt <= clock.now) {
    year += 1;
    dueAt = zonedTime(date(year), minutes, clock.timeZone);
  }
  return { dueAt, body: cleanBody(text.slice(all.length)) };
}

/** What is left of the input besides the time: the reminder's text, without joining words ("to", "—"). */
function cleanBody(rest: string): string | null {
  const body = rest.replace(/\s+/g, ' ').trim().replace(/^(?:[-—–:,.]|to\b|щоб\b)\s*/i, '').trim();
  return body ? body : null;
}
