import { pino } from 'pino';
import { createConfig } from '../config.js';
import { createCore, createStore, OPERATOR } from '../core/index.js';
import { makeLead, makeUser } from '../tests/support/factories.js';
import { leadsCsv } from '../tests/support/lead-csv.js';
import { createBenchDb } from './bench-db.js';

const ROWS = 10_000;

export interface ImportRun { rows: number; seconds: number; rowsPerSecond: number; created: number; duplicate: number; refused: number }
export interface ImportBench { first: ImportRun; again: ImportRun; parseSeconds: number }

/**
 * CSV import on the real PostgreSQL (BENCH_DATABASE_URL): 10,000 rows of
 * which 400 are duplicates (of earlier rows, or of leads already there) and
 * 100 cannot be reached, through core as `npm run leads -- import` runs it;
 * then the same file again, which creates nothing.
 */
export async function benchImport(): Promise<ImportBench> {
  const handle = await createBenchDb('import');
  try {
    await makeUser(handle.db, { role: 'agent', capacity: 50 });
    await makeUser(handle.db, { role: 'manager' });
    const known: string[] = [];
    for (let i = 0; i < 100; i++) known.push((await makeLead(handle.db, { email: `bench-known-${i}@example.com` })).email!);
    const bytes = Buffer.from(leadsCsv({ unique: ROWS - 500, fileDuplicates: 300, knownEmails: known, bad: 100, tag: `bench${Date.now().toString(36)}` }));
    const config = createConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const store = createStore({});
    const core = createCore({ db: handle.db, store, config, logger: pino({ level: 'silent' }) });
    const run = async (): Promise<ImportRun> => {
      const started = performance.now();
      const summary = await core.imports.importCsv(OPERATOR, { bytes, fileName: 'bench.csv' });
      const seconds = (performance.now() - started) / 1000;
      return { rows: summary.total, seconds, rowsPerSecond: summary.total / seconds, created: summary.created, duplicate: summary.duplicate, refused: summary.refused };
    };
    const { parseCsv, decodeCsvBytes } = await import('../core/imports/csv-read.rules.js');
    const parseStarted = performance.now();
    parseCsv(decodeCsvBytes(bytes));
    const parseSeconds = (performance.now() - parseStarted) / 1000;
    const first = await run();
    const again = await run();
    await store.close();
    return { first, again, parseSeconds };
  } finally {
    await handle.close();
  }
}

export function importReport(b: ImportBench): string[] {
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const line = (label: string, r: ImportRun) =>
    `  ${label}: ${fmt(r.rowsPerSecond)} rows/s   ${fmt(r.seconds, 2)} s   created ${r.created}, duplicates ${r.duplicate}, refused ${r.refused}`;
  return [
    `\nCSV import: ${fmt(b.first.rows)} rows (400 duplicates, 100 unreachable), real PostgreSQL, batches of 500`,
    line('first import ', b.first),
    line('same file again', b.again),
    `  of which reading the CSV: ${fmt(b.parseSeconds, 2)} s`,
  ];
}
