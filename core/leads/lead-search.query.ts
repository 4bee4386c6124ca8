/**
 * What a /find text means (§2): a phone number in any format, or words to
 * match against name, company and email. Pure; lead-search.service.ts runs it.
 *
 * Phones are stored as E.164 ("+79991234567"). People type them in national
 * formats too ("8 999 123-45-67", "(999) 123 4567", "050 123 45 67"), which
 * differ from E.164 only in the front: the country code is missing, or a
 * trunk prefix (0 in Ukraine, 8 in Russia) stands in for it. So a number is
 * matched on its TRAILING 10 DIGITS, which every such format shares with the
 * stored number for countries whose national number is 9–10 digits long
 * (UA, RU, US, UK, …). Fewer digits (5–9) find numbers ending with them.
 * Consequence: two numbers from different countries with the same last ten
 * digits both match; the one whose digits match in full ranks first.
 */

export type SearchQuery =
  | {
    kind: 'phone';
    /** Every digit typed. */
    digits: string;
    /** What stored phone digits must end with: the trailing ≤ 10 digits. */
    suffix: string;
    /** 10 or more digits were typed: a whole number, not a fragment. */
    whole: boolean;
  }
  | {
    kind: 'text';
    /** Lower-cased, whitespace collapsed. */
    text: string;
    /**
     * Its distinct words of 2+ characters (at most MAX_WORDS; the whole text
     * when none): each must match name, company or email, so "Olena Kovaelnko"
     * finds Olena Kovalenko, not every Olena.
     */
    words: string[];
    /**
     * The text cut at spaces and punctuation, as the name-word indexes cut
     * names and companies ("o'brien" → o, brien); looked up as whole words
     * before any typo-tolerant match (see searchLeads). Empty for a text
     * with an @ (an email look-up) or with no letters or digits.
     */
    wholeWords: string[];
  };

/** Shorter text matches too much to rank usefully (and trigram look-ups get slow). */
export const MIN_TEXT_LENGTH = 3;
/** Fewer digits than this is not a phone look-up. */
export const MIN_PHONE_DIGITS = 5;
export const TRAILING_DIGITS = 10;
/** Longer input is cut: names, companies and emails are shorter than this. */
export const MAX_QUERY_LENGTH = 100;
export const MAX_WORDS = 5;

const PHONE_LIKE = /^[+\d\s().\-/]+$/;
/**
 * Cuts a text into whole words: at white space, punctuation and symbols —
 * for ASCII exactly where crm_lead_words (behind the name-word indexes) cuts
 * with `[[:space:][:punct:]]+`. Beyond ASCII that one follows the database's
 * locale; where the two differ (« » under the C locale) a word is not found
 * whole, and the typo-tolerant match still finds it.
 */
const WORD_BREAK = /[\s\p{P}\p{S}]+/u;

/** Reads a /find text; null when it is empty or too short to search (see the limits above). */
export function parseSearchQuery(raw: string | null | undefined): SearchQuery | null {
  const text = [...(raw ?? '').trim().replace(/\s+/g, ' ')].slice(0, MAX_QUERY_LENGTH).join('').trim().toLowerCase();
  if (PHONE_LIKE.test(text) && /\d/.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length < MIN_PHONE_DIGITS) return null;
    return { kind: 'phone', digits, suffix: digits.slice(-TRAILING_DIGITS), whole: digits.length >= TRAILING_DIGITS };
  }
  if ([...text].length < MIN_TEXT_LENGTH) return null;
  const words = [...new Set(text.split(' ').filter((w) => [...w].length >= 2))].slice(0, MAX_WORDS);
  const wholeWords = text.includes('@') ? [] : [...new Set(text.split(WORD_BREAK).filter(Boolean))];
  return { kind: 'text', text, words: words.length ? words : [text], wholeWords };
}
