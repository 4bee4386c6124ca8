import { parse } from 'csv-parse/sync';
import { UnprocessableError } from '../errors.js';

/** A CSV file as rows of cells: the header, then each record with its row number in the file (header = 1). */
export interface CsvTable {
  header: string[];
  rows: { row: number; cells: string[] }[];
  delimiter: ',' | ';' | '\t';
}

/** The largest file imported at once (a Telegram bot may download 20 MB). */
export const CSV_MAX_BYTES = 20 * 1024 * 1024;

/**
 * The text of a CSV file as spreadsheets write it: UTF-8 with or without a
 * byte-order mark, UTF-16 with one (Excel's "Unicode text"), and — for
 * bytes that are not UTF-8 — Windows-1251, what Excel in Ukrainian and
 * Russian locales saves as "CSV".
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}

/** The delimiter the header line uses most, outside quotes: `,`, `;` (European Excel) or a tab. */
function detectDelimiter(firstLine: string): CsvTable['delimiter'] {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch as keyof typeof counts] += 1;
  }
  const best = (Object.entries(counts) as [CsvTable['delimiter'], number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

/**
 * Parses CSV text (csv-parse) the way spreadsheets write it: `,` or `;` or
 * tab (Excel's `sep=;` first line is obeyed), a byte-order mark, quoted
 * cells with line breaks and doubled quotes, ragged rows, CRLF; rows with
 * only empty cells are left out. Cells are trimmed. Throws
 * UnprocessableError for a file with no header or quotes it cannot read.
 */
export function parseCsv(text: string): CsvTable {
  let body = text.replace(/^\uFEFF/, '');
  let delimiter: CsvTable['delimiter'] | null = null;
  const sep = /^sep=(.)\r?\n/i.exec(body);
  if (sep) {
    delimiter = (sep[1] === ';' ? ';' : sep[1] === '\t' ? '\t' : ',');
    body = body.slice(sep[0].length);
  }
  delimiter ??= detectDelimiter(body.split(/\r?\n/, 1)[0] ?? '');
  let records: string[][];
  try {
    records = parse(body, {
      delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true,
    }) as string[][];
  } catch (err) {
    throw new UnprocessableError(`The file is not readable CSV: ${(err as Error).message.slice(0, 200)}`);
  }
  const [header, ...data] = records;
  if (!header || !header.some((h) => h.trim())) throw new UnprocessableError('The file has no header row');
  const rows = data.map((cells, i) => ({ row: i + 2, cells: cells.map((c) => c.trim()) }))
    .filter((r) => r.cells.some(Boolean));
  return { header: header.map((h) => h.trim()), rows, delimiter };
}
