/**
 * Leads from and to CSV files on the command line:
 *   npm run leads -- import <file.csv> [--source MANUAL] [--results <file>]
 *   npm run leads -- export [--out <file>] [--stage NEW,CONTACTED] [--source WEB,REFERRAL] [--tier HOT,WARM]
 * Import: columns matched by the same English, Ukrainian and Russian names
 * as form intake; `,` or `;`; a BOM; UTF-8, UTF-16 or Windows-1251. Every row
 * goes through the same lead creation and §4 duplicate rule, so importing a
 * file again creates nothing new. A progress bar on stderr; the per-row
 * result file beside the input (<file>.results.csv) unless --results says.
 * Export: the leads of a /leads filter (open leads by default), UTF-8 with BOM.
 * With DATABASE_URL it works on that database; on the embedded one through
 * the running app when one holds DATA_DIR (as npm run sources does).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createConfig, loadEnvFile } from '../config.js';
import {
  COLD_STAGES, createDb, DataDirInUseError, DomainError, LEAD_SOURCES, QUALITY_TIERS, type LeadListFilters, type LeadSource,
} from '../core/index.js';
import { connectEmbeddedLeads, openDirectLeads, type LeadsBackend } from './leads-backend.js';
import { AppNotAnsweringError, ControlRequestError } from './sources-backend.js';

const USAGE = `Usage:
  npm run leads -- import <file.csv> [--source <lead source>] [--results <file>]
  npm run leads -- export [--out <file>] [--stage <stages>] [--source <sources>] [--tier <tiers>]
lead sources: ${LEAD_SOURCES.join(', ')} (import default MANUAL; a "source" column wins)
stages: ${COLD_STAGES.join(', ')} (export default: the open ones) · tiers: ${QUALITY_TIERS.join(', ')}`;

class UsageError extends Error {}

function options(args: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) positional.push(arg);
    else if (args[i + 1] === undefined) throw new UsageError(`${arg} needs a value`);
    else flags[arg.slice(2)] = args[++i]!;
  }
  return { positional, flags };
}

function list<T extends string>(flag: string | undefined, allowed: readonly T[], name: string): T[] | undefined {
  if (!flag) return undefined;
  const values = flag.split(',').map((v) => v.trim().toUpperCase()).filter(Boolean);
  const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (bad.length) throw new UsageError(`Unknown ${name}: ${bad.join(', ')}`);
  return values as T[];
}

/** A progress bar on stderr (a line every 10 % when stderr is not a terminal). */
function progressBar(): (done: number, total: number) => void {
  let lastTenth = -1;
  return (done, total) => {
    const share = total ? done / total : 1;
    if (process.stderr.isTTY) {
      const width = 30;
      const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
      process.stderr.write(`\r[${bar}] ${Math.floor(share * 100)}% ${done}/${total} rows`);
      if (done >= total) process.stderr.write('\n');
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      process.stderr.write(`${done}/${total} rows\n`);
    }
  };
}

async function run(backend: LeadsBackend, command: string, args: string[]): Promise<void> {
  const { positional, flags } = options(args);
  if (command === 'import') {
    const file = positional[0];
    if (!file || positional.length > 1) throw new UsageError('import needs one file');
    const source = list(flags.source, LEAD_SOURCES, 'lead source')?.[0] as LeadSource | undefined;
    const outcome = await backend.importCsv({
      bytes: readFileSync(file), fileName: basename(file), ...(source ? { defaultSource: source } : {}), onProgress: progressBar(),
    });
    const results = flags.results ?? file.replace(/(\.csv)?$/i, '.results.csv');
    writeFileSync(results, outcome.resultsCsv);
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    console.log(`Imported ${basename(file)}: ${plural(outcome.total, 'row', 'rows')} — ${plural(outcome.created, 'new lead', 'new leads')}, `
      + `${plural(outcome.duplicate, 'duplicate', 'duplicates')}, ${outcome.refused} refused.`);
    console.log(`Per-row results: ${results}`);
    return;
  }
  if (positional.length) throw new UsageError('export takes only options');
  const filters: LeadListFilters = {
    ...(list(flags.stage, COLD_STAGES, 'stage') ? { stages: list(flags.stage, COLD_STAGES, 'stage')! } : {}),
    ...(list(flags.source, LEAD_SOURCES, 'lead source') ? { sources: list(flags.source, LEAD_SOURCES, 'lead source')! } : {}),
    ...(list(flags.tier, QUALITY_TIERS, 'tier') ? { qualityTiers: list(flags.tier, QUALITY_TIERS, 'tier')! } : {}),
  };
  const { csv, count } = await backend.exportCsv(filters);
  const out = flags.out ?? `leads-${new Date().toISOString().slice(0, 10)}.csv`;
  writeFileSync(out, csv);
  console.log(`Exported ${count} leads to ${out}`);
}

// Refusals with a message written for the person at the terminal: printed as is, exit 1.
const isRefusal = (err: unknown): err is Error => err instanceof DomainError || err instanceof ControlRequestError
  || err instanceof AppNotAnsweringError || err instanceof DataDirInUseError;

async function main(argv: string[]): Promise<number> {
  const [command = '', ...args] = argv;
  if (['help', '--help', '-h'].includes(command)) {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'import' && command !== 'export') {
    console.error(`${command ? `Unknown command "${command}".` : 'No command given.'}\n${USAGE}`);
    return 2;
  }
  loadEnvFile();
  const config = createConfig(process.env);
  let backend: LeadsBackend | undefined;
  try {
    options(args); // usage errors before anything is opened
    backend = config.DATABASE_URL
      ? await openDirectLeads(await createDb({ databaseUrl: config.DATABASE_URL }), config)
      : await connectEmbeddedLeads({
        dataDir: config.DATA_DIR, config,
        onWaiting: (owner) => console.error(`Waiting for process ${owner.pid} (${owner.command}), which holds ${config.DATA_DIR}, to answer…`),
      });
    await run(backend, command, args);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    if (!isRefusal(err)) throw err;
    console.error(err.message);
    return 1;
  } finally {
    await backend?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
