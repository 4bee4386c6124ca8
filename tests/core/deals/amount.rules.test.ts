import { describe, expect, it } from 'vitest';
import { InvalidAmountError } from '../../../core/errors.js';
import { parseAmount } from '../../../core/deals/amount.rules.js';

const read = (text: string, currency = 'UAH') => parseAmount(text, currency);
const problem = (text: string, currency = 'UAH') => {
  try {
    parseAmount(text, currency);
  } catch (err) {
    if (err instanceof InvalidAmountError) return { problem: err.problem, ...err.details };
    throw err;
  }
  throw new Error(`"${text}" was read`);
};

describe('deal amounts as people type them (§9)', () => {
  it.each([
    ['12 500', 1_250_000, 'UAH'],
    ['12,500.50', 1_250_050, 'UAH'],
    ['12 500,50 грн', 1_250_050, 'UAH'],
    ['12\u00a0500,50\u00a0грн.', 1_250_050, 'UAH'],
    ['12\u202f500', 1_250_000, 'UAH'],
    ['12500', 1_250_000, 'UAH'],
    ['12,5', 1_250, 'UAH'],
    ['0,01', 1, 'UAH'],
    ['12.500,50', 1_250_050, 'UAH'],
    ['1,250,000', 125_000_000, 'UAH'],
    ['1.250.000,99', 125_000_099, 'UAH'],
    ["1'250'000", 125_000_000, 'UAH'],
    ['12,500', 1_250_000, 'UAH'],
    ['1.500', 150_000, 'UAH'],
    ['₴ 900', 90_000, 'UAH'],
    ['$1,200.75', 120_075, 'USD'],
    ['1 200 usd', 120_000, 'USD'],
    ['USD 99.9', 9_990, 'USD'],
    ['€1.250,00', 125_000, 'EUR'],
    ['300 євро', 30_000, 'EUR'],
    ['5000 гривень', 500_000, 'UAH'],
    ['15 000 JPY', 15_000, 'JPY'],
    ['1 234,567 KWD', 1_234_567, 'KWD'],
    ['  7  ', 700, 'UAH'],
  ])('reads "%s" exactly as %i minor units of %s', (text, minor, currency) => {
    expect(read(text)).toEqual({ minor, currency });
  });

  it('uses the default currency when none is typed', () => {
    expect(read('12 500', 'EUR')).toEqual({ minor: 1_250_000, currency: 'EUR' });
    expect(read('12 500 грн', 'EUR')).toEqual({ minor: 1_250_000, currency: 'UAH' });
  });

  it('keeps amounts no float can: 9 999 999 999 999,99', () => {
    expect(read('9 999 999 999 999,99')).toEqual({ minor: 999_999_999_999_999, currency: 'UAH' });
    expect(read('0.07').minor + read('0.1').minor).toBe(17);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['грн', 'empty'],
    ['abc', 'not_a_number'],
    ['twelve thousand', 'not_a_number'],
    ['12 500 грн 50 коп', 'not_a_number'],
    ['1e5', 'not_a_number'],
    ['12..5', 'not_a_number'],
    ['12,500.50.25', 'not_a_number'],
    ['12 500.', 'not_a_number'],
    ['1.250 000', 'not_a_number'],
    ['0', 'not_positive'],
    ['0,00', 'not_positive'],
    ['-500', 'not_positive'],
    ['12,5055', 'too_many_decimals'],
    ['12 500,505', 'too_many_decimals'],
    ['12.5 JPY', 'too_many_decimals'],
    ['1 23 456', 'grouping'],
    ['1234 567', 'grouping'],
    ['10 000 000 000 001', 'too_large'],
    ['500 XYZ', 'unknown_currency'],
    ['500 bananas', 'unknown_currency'],
    ['$500 грн', 'two_currencies'],
  ])('refuses "%s": %s', (text, expected) => {
    expect(problem(text).problem).toBe(expected);
  });

  it('says how many decimals the currency has and the largest amount', () => {
    expect(problem('12,5055')).toMatchObject({ currency: 'UAH', maxDecimals: 2 });
    expect(problem('1.5 JPY')).toMatchObject({ currency: 'JPY', maxDecimals: 0 });
    expect(problem('10 000 000 000 001')).toMatchObject({ max: '10000000000000', currency: 'UAH' });
  });
});
