import { LANGUAGES, type Core, type Language, type User } from '../../core/index.js';
import { en, type Catalog } from './en.js';
import { timeWords, type TimeWords } from './time-words.js';
import { uk } from './uk.js';

/** Every word for one reader: their language's catalog, and times in their language and zone. */
export type Texts = Catalog & { time: TimeWords };

const CATALOGS: Record<Language, Catalog> = { en, uk };

/** The texts of a language, with times shown in `timeZone` (an IANA zone). */
export function textsFor(language: Language, timeZone: string): Texts {
  return { ...CATALOGS[language], time: timeWords(language, timeZone) };
}

/** The texts a user reads: their language, and their zone or else the team's (core.users.timeZoneOf). */
export function textsForUser(core: Core, user: User): Texts {
  return textsFor(user.language, core.users.timeZoneOf(user));
}

/**
 * The language a new user starts with: Ukrainian when Telegram says so, else
 * the configured default (§1 registration; /lang changes it later).
 */
export function languageFromTelegram(languageCode: string | undefined, fallback: Language): Language {
  const base = languageCode?.toLowerCase().split('-')[0];
  return base === 'uk' ? 'uk' : fallback;
}

export const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);
