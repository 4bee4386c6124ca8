/**
 * Form sources from the command line (§11):
 *   npm run sources -- add <name> <provider> [lead_source]
 *   npm run sources -- list
 *   npm run sources -- show <name|id>
 *   npm run sources -- disable <name|id>
 * Uses DATABASE_URL (or the embedded database in DATA_DIR), migrated first.
 */
import { createConfig, type Config } from '../config.js';
import { createDb } from '../core/create-db.js';
import { FORM_PROVIDERS, type Db, type FormSource } from '../core/database.js';
import { DomainError } from '../core/errors.js';
import {
  createFormSource, disableFormSource, findFormSource, listFormSources, webhookUrlFor,
} from '../core/intake/form-source.service.js';
import { LEAD_SOURCES } from '../core/leads/lead.constants.js';
import { migrateToLatest } from '../core/migrate.js';

const USAGE = `Usage:
  npm run sources -- add <name> <provider> [lead_source]   create a form webhook; prints its URL and secret
  npm run sources -- list                                  every source (secrets hidden)
  npm run sources -- show <name|id>                        URL and secret of one source
  npm run sources -- disable <name|id>                     stop accepting its submissions (404)
providers: ${FORM_PROVIDERS.join(', ')}
lead_source: ${LEAD_SOURCES.join(', ')} (default WEB)`;

const ARITY: Record<string, [min: number, max: number]> = { add: [2, 3], list: [0, 0], show: [1, 1], disable: [1, 1] };

const SETUP_HINT: Record<FormSource['provider'], string> = {
  tilda: 'Tilda: Site settings → Forms → Webhook: paste the URL (it carries the secret).',
  generic: 'Generic: POST JSON or urlencoded to the URL (it carries the secret), or send the secret in an X-Webhook-Secret header.',
  typeform: 'Typeform: Connect → Webhooks → Add a webhook: paste the URL, then under Edit → Secret paste the secret.',
};

async function run(db: Db, config: Config, command: string, args: string[]): Promise<void> {
  if (command === 'add') {
    const { source } = await createFormSource(db, { name: args[0]!, provider: args[1]!, leadSource: args[2] ?? null });
    console.log(`Created form source #${source.id} "${source.name}" (${source.provider}, leads as ${source.lead_source}).`);
    printAccess(config, source);
  } else if (command === 'show') {
    printAccess(config, await findFormSource(db, args[0]!));
  } else if (command === 'disable') {
    const source = await disableFormSource(db, args[0]!);
    console.log(`Disabled form source #${source.id} "${source.name}": its webhook now answers 404.`);
  } else {
    const sources = await listFormSources(db);
    if (!sources.length) console.log('No form sources yet. Add one with: npm run sources -- add <name> <provider>');
    for (const s of sources) {
      const state = s.is_active ? 'active' : `disabled ${s.disabled_at?.toISOString().slice(0, 10) ?? ''}`;
      const url = webhookUrlFor(config.PUBLIC_URL, s, { withSecret: false });
      console.log(`#${s.id}\t${s.name}\t${s.provider}\t${s.lead_source}\t${state}\t${url}`);
    }
  }
}

function printAccess(config: Config, source: FormSource): void {
  console.log(`Webhook URL: ${webhookUrlFor(config.PUBLIC_URL, source)}`);
  console.log(`Secret:      ${source.secret}`);
  console.log(SETUP_HINT[source.provider]);
}

async function main(argv: string[]): Promise<number> {
  const [command = '', ...args] = argv;
  if (['help', '--help', '-h'].includes(command)) {
    console.log(USAGE);
    return 0;
  }
  const arity = ARITY[command];
  if (!arity || args.length < arity[0] || args.length > arity[1]) {
    const problem = !command ? 'No command given.' : !arity ? `Unknown command "${command}".` : `Wrong number of arguments for "${command}".`;
    console.error(`${problem}\n${USAGE}`);
    return 2;
  }
  const config = createConfig(process.env);
  const handle = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrateToLatest(handle.db);
    await run(handle.db, config, command, args);
    return 0;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    console.error(err.message);
    return 1;
  } finally {
    await handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
