import { stringify } from 'csv-stringify/sync';

const BOM = '\uFEFF';
// OWASP's CSV injection list: a cell starting with one of these is a formula to a spreadsheet.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell made safe for spreadsheets: text that starts with = + - @ (or a
 * tab or CR) would run as a formula when the file is opened, so it gets a
 * leading apostrophe — what Excel itself uses to mark a cell as text.
 */
export function neutralizeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A CSV document for spreadsheets: UTF-8 with a byte-order mark (Excel reads Cyrillic right), CRLF, cells neutralised. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  const body = stringify([header.map(neutralizeCell), ...rows.map((r) => r.map(neutralizeCell))], { record_delimiter: '\r\n' });
  return Buffer.from(BOM + body, 'utf8');
}
