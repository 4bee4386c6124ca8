import { InvalidAmountError } from '../errors.js';

/**
 * §9 deal amounts as people type them, read exactly (no floating point):
 * "12 500", "12,500.50", "12 500,50 грн", "€1.250,00", "1500 usd". The
 * result is an integer of the currency's minor units (12 500,50 UAH →
 * 1 250 050) and its ISO 4217 code.
 *
 * How separators are read:
 * - spaces (also no-break ones) and apostrophes only group thousands;
 * - with both "," and ".", the last one is the decimal mark;
 * - with one of them: repeated, it groups thousands ("1,250,000");
 *   once, before exactly three digits and with no other grouping, it groups
 *   too ("12,500" = 12500, "1.500" = 1500); otherwise it is the decimal mark
 *   ("12,5" = 12.50, "12 500,50");
 * - groups after the first are exactly three digits ("1 23 456" is refused).
 * A currency may come before or after the number, as a code (UAH, usd), a
 * sign (₴ $ € £) or a common word (грн, гривень, долар, євро); none: the
 * default currency.
 */

/** The largest amount kept, in minor units: far inside 2^53, so int8 read as a JS number stays exact. */
export const AMOUNT_MAX_MINOR = 10n ** 15n;

const ALIASES: Record<string, string> = {
  '₴': 'UAH', 'грн': 'UAH', 'гривня': 'UAH', 'гривні': 'UAH', 'гривень': 'UAH', 'гривна': 'UAH', 'hrn': 'UAH', 'uah': 'UAH',
  '$': 'USD', 'usd': 'USD', 'дол': 'USD', 'долар': 'USD', 'долари': 'USD', 'доларів': 'USD', 'dollar': 'USD', 'dollars': 'USD',
  '€': 'EUR', 'eur': 'EUR', 'євро': 'EUR', 'euro': 'EUR', 'euros': 'EUR',
  '£': 'GBP', 'gbp': 'GBP', 'zł': 'PLN', 'pln': 'PLN', 'злотих': 'PLN',
};

let isoCodes: Set<string> | null = null;
const knownCodes = () => (isoCodes ??= new Set(Intl.supportedValuesOf('currency')));

/** Whether `code` is an ISO 4217 code this runtime knows (e.g. for DEFAULT_CURRENCY). */
export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code) && knownCodes().has(code);

/** How many minor units a currency has (UAH 2, JPY 0, KWD 3), from the ICU data. */
export function currencyMinorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export interface Amount {
  /** Minor units (kopiyky, cents): an integer > 0. */
  minor: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

/**
 * Reads a typed amount (see the file comment). `defaultCurrency` applies
 * when the text names none. Throws InvalidAmountError with the problem.
 */
export function parseAmount(text: string, defaultCurrency: string): Amount {
  const raw = text.normalize('NFKC').trim();
  const match = /^([^\d+-]*?)\s*([+-]?\d[\d\s'’.,]*)\s*(\D*?)\s*$/u.exec(raw);
  if (!match) throw new InvalidAmountError(/\d/.test(raw) || !onlyCurrency(raw) ? 'not_a_number' : 'empty');
  const [, before = '', number = '', after = ''] = match;
  const currency = currencyOf(before, after) ?? defaultCurrency;
  const digits = currencyMinorDigits(currency);
  const { whole, fraction } = splitNumber(number.trim());
  if (fraction.length > digits) throw new InvalidAmountError('too_many_decimals', { currency, maxDecimals: digits });
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (number.trim().startsWith('-') || minor <= 0n) throw new InvalidAmountError('not_positive', { currency });
  if (minor > AMOUNT_MAX_MINOR) {
    throw new InvalidAmountError('too_large', { currency, max: (AMOUNT_MAX_MINOR / 10n ** BigInt(digits)).toString() });
  }
  return { minor: Number(minor), currency };
}

/** Nothing typed, or only a currency ("грн"). */
function onlyCurrency(raw: string): boolean {
  if (!raw) return true;
  try {
    readCurrency(raw);
    return true;
  } catch {
    return false;
  }
}

/** The currency named before or after the number; null when neither names one. */
function currencyOf(before: string, after: string): string | null {
  const named = [before, after].map((s) => s.trim()).filter(Boolean).map(readCurrency);
  if (named.length === 2 && named[0] !== named[1]) throw new InvalidAmountError('two_currencies');
  return named[0] ?? null;
}

function readCurrency(word: string): string {
  const key = word.toLowerCase().replace(/\.$/, '');
  const alias = ALIASES[key];
  if (alias) return alias;
  if (/^[a-z]{3}$/.test(key) && isCurrencyCode(key.toUpperCase())) return key.toUpperCase();
  // Digits or signs mixed into the words ("12 500 грн 50 коп") are not an amount we can read.
  throw new InvalidAmountError(/[\d+-]/.test(word) ? 'not_a_number' : 'unknown_currency', { text: word.slice(0, 20) });
}

/** "12 500,50" → { whole: "12500", fraction: "50" }. Throws InvalidAmountError (not_a_number, grouping). */
function splitNumber(number: string): { whole: string; fraction: string } {
  const body = number.replace(/^[+-]/, '');
  const parts = body.split(/([\s'’]+|[.,])/u);
  // parts alternate: digits, separator, digits, …; every digit run must be non-empty.
  const runs = parts.filter((_, i) => i % 2 === 0);
  const seps = parts.filter((_, i) => i % 2 === 1).map((s) => (/^[\s'’]+$/u.test(s) ? ' ' : s));
  if (runs.some((r) => !/^\d+$/.test(r))) throw new InvalidAmountError('not_a_number');
  const decimalAt = decimalIndex(seps, runs);
  const wholeRuns = decimalAt === null ? runs : runs.slice(0, decimalAt + 1);
  const groupSeps = decimalAt === null ? seps : seps.slice(0, decimalAt);
  // "1.250 000" groups with two marks: refuse rather than guess.
  if (new Set(groupSeps).size > 1) throw new InvalidAmountError('not_a_number');
  if (wholeRuns.length > 1 && (wholeRuns[0]!.length > 3 || wholeRuns.slice(1).some((r) => r.length !== 3))) {
    throw new InvalidAmountError('grouping');
  }
  return { whole: wholeRuns.join(''), fraction: decimalAt === null ? '' : runs[decimalAt + 1]! };
}

/** Which separator (index into seps) is the decimal mark, if any. */
function decimalIndex(seps: string[], runs: string[]): number | null {
  const last = seps.length - 1;
  if (last < 0) return null;
  const mark = seps[last]!;
  if (mark === ' ') return null;
  const other = mark === ',' ? '.' : ',';
  if (seps.includes(other)) {
    // Both marks: the last is the decimal one, and it may appear only once.
    if (seps.indexOf(mark) !== last) throw new InvalidAmountError('not_a_number');
    return last;
  }
  if (seps.filter((s) => s === mark).length > 1) return null;
  const groupedBySpaces = seps.slice(0, last).includes(' ');
  return runs[last + 1]!.length === 3 && !groupedBySpaces ? null : last;
}
