import type { Language } from '../../core/index.js';

/**
 * Times as a reader reads them (§1: their language, their time zone): an
 * absolute "2 Dec, 14:05" in the viewer's zone and a relative "3 hours
 * ago", both from Intl, which knows each language's plural forms.
 */
export interface TimeWords {
  /** The IANA zone these times are shown in. */
  zone: string;
  /** "2 Dec, 14:05"; the year only when it is not this year. */
  at(date: Date, now?: Date): string;
  /** "just now", "5 minutes ago", "yesterday", "3 weeks ago". */
  ago(date: Date, now?: Date): string;
  /** "5 minutes ago (2 Dec, 14:05)". */
  agoAt(date: Date, now?: Date): string;
}

const LOCALES: Record<Language, string> = { en: 'en-GB', uk: 'uk' };
const JUST_NOW: Record<Language, string> = { en: 'just now', uk: 'щойно' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// From the largest unit down: the first one the elapsed time reaches is used.
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * DAY], ['month', 30 * DAY], ['week', 7 * DAY], ['day', DAY], ['hour', HOUR], ['minute', MINUTE],
];

const cache = new Map<string, TimeWords>();

/** The time words for a language and zone (cached: formatters are costly to build). */
export function timeWords(language: Language, zone: string): TimeWords {
  const key = `${language}|${zone}`;
  let words = cache.get(key);
  if (!words) {
    words = build(language, zone);
    // A handful of languages × the zones a team picks; the bound only guards against misuse.
    if (cache.size > 500) cache.clear();
    cache.set(key, words);
  }
  return words;
}

function build(language: Language, zone: string): TimeWords {
  const locale = LOCALES[language];
  const parts = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  const sameYear = new Intl.DateTimeFormat(locale, { ...parts, timeZone: zone });
  const withYear = new Intl.DateTimeFormat(locale, { ...parts, year: 'numeric', timeZone: zone });
  const year = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: zone });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const at = (date: Date, now = new Date()) =>
    (year.format(date) === year.format(now) ? sameYear : withYear).format(date);
  const ago = (date: Date, now = new Date()) => {
    const elapsed = now.getTime() - date.getTime();
    // A clock a little ahead of ours (another instance, the database) is still "just now".
    if (elapsed < MINUTE) return JUST_NOW[language];
    const [unit, size] = UNITS.find(([, ms]) => elapsed >= ms)!;
    return relative.format(-Math.floor(elapsed / size), unit);
  };
  return { zone, at, ago, agoAt: (date, now) => `${ago(date, now)} (${at(date, now)})` };
}
