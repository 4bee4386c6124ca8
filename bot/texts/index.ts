import { LANGUAGES, type Language } from '../../core/index.js';
import { en, type Texts } from './en.js';
import { uk } from './uk.js';

export type { Texts };

const TEXTS: Record<Language, Texts> = { en, uk };

export function textsFor(language: Language): Texts {
  return TEXTS[language];
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
