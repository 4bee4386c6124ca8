import { currencyMinorDigits } from '../../core/index.js';
import type { Texts } from '../texts/index.js';

/**
 * An exact amount in the reader's way of writing numbers: minor units
 * (a number, or a decimal string for totals that may pass 2^53) as
 * "12 500,50 грн" / "UAH 12,500.50". Intl formats the decimal string
 * itself, so no float is ever involved.
 */
export function formatAmount(t: Texts, minor: number | string, currency: string): string {
  const digits = currencyMinorDigits(currency);
  const units = BigInt(minor);
  const negative = units < 0n;
  const text = (negative ? -units : units).toString().padStart(digits + 1, '0');
  const decimal = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  const format = new Intl.NumberFormat(t.deals.numberLocale, { style: 'currency', currency });
  return format.format(`${negative ? '-' : ''}${decimal}` as unknown as number);
}
