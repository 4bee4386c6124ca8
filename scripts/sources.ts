/**
 * Form sources from the command line (§11):
 *   npm run sources -- add <name> <provider> [lead_source]
 *   npm run sources -- list
 *   npm run sources -- show <name|id>
 *   npm run sources -- disable <name|id>
 *   npm run sources -- failed | replay <submission id>
 * With DATABASE_URL, works on that database (migrated first). Without it,
 * on the embedded database in DATA_DIR: through the running app when one
 * holds the folder (it must not be opened twice), else by opening it here.
 * The output is the same either way. Reads .env first, as `npm start` does.
 */
import { createConfig, loadEnvFile } from '../config.js';
import {
  createDb, DataDirInUseError, DomainError, FORM_PROVIDERS, LEAD_SOURCES, type FormSource,
} from '../core/index.js';
import {
  AppNotAnsweringError, ControlRequestError, connectEmbedded, openDirectBackend,
  type ControlSourceAccess, type SourcesBackend,
} from './sources-backend.js';

const USAGE = `Usage:
  npm run sources -- add <name> <provider> [lead_source]   create a form webhook; prints its URL and secret
  npm run sources -- list                                  every source (secrets hidden)
  npm run sources -- show <name|id>                        URL and secret of one source
  npm run sources -- disable <name|id>                     stop accepting its submissions (404)
  npm run sources -- sign <name|id> <key|->                Webflow, HubSpot: check their signature with this key ("-": the URL secret again)
  npm run sources -- failed                                submissions set aside after failing to become leads
  npm run sources -- replay <submission id>                queue a set-aside submission again
providers: ${FORM_PROVIDERS.join(', ')}
lead_source: ${LEAD_SOURCES.join(', ')} (default WEB)`;

const ARITY: Record<string, [min: number, max: number]> = { add: [2, 3], list: [0, 0], show: [1, 1], disable: [1, 1], sign: [2, 2], failed: [0, 0], replay: [1, 1] };

const SETUP_HINT: Record<FormSource['provider'], string> = {
  tilda: 'Tilda: Site settings → Forms → Webhook: paste the URL (it carries the secret).',
  generic: 'Generic: POST JSON or urlencoded to the URL (it carries the secret), or send the secret in an X-Webhook-Secret header.',
  typeform: 'Typeform: Connect → Webhooks → Add a webhook: paste the URL, then under Edit → Secret paste the secret.',
  tally: 'Tally: Integrations → Webhooks: paste the URL, then paste the secret as the signing secret.',
  jotform: 'Jotform: Settings → Integrations → Webhooks: paste the URL (it carries the secret).',
  webflow: 'Webflow: paste the URL into the form_submission webhook; to check Webflow\'s signature instead, run: npm run sources -- sign <name> <webhook secret>.',
  hubspot: 'HubSpot: in the workflow\'s "Send a webhook" action, paste the URL; to check X-HubSpot-Signature-v3 instead, run: npm run sources -- sign <name> <app client secret>.',
};

async function run(backend: SourcesBackend, command: string, args: string[]): Promise<void> {
  if (command === 'add') {
    const created = await backend.add({ name: args[0]!, provider: args[1]!, leadSource: args[2] ?? null });
    const { source } = created;
    console.log(`Created form source #${source.id} "${source.name}" (${source.provider}, leads as ${source.lead_source}).`);
    printAccess(created);
  } else if (command === 'show') {
    printAccess(await backend.show(args[0]!));
  } else if (command === 'sign') {
    const source = await backend.sign(args[0]!, args[1] === '-' ? null : args[1]!);
    console.log(args[1] === '-'
      ? `Form source #${source.id} "${source.name}" takes the secret in its URL again (npm run sources -- show ${source.id}).`
      : `Form source #${source.id} "${source.name}" now checks the provider's signature; its URL needs no secret.`);
  } else if (command === 'failed') {
    const rows = await backend.failed();
    if (!rows.length) console.log('Nothing is set aside: every accepted submission became a lead.');
    for (const r of rows) console.log(`#${r.id}\t${r.source_name}\t${r.attempts} tries\t${r.failed_at}\t${r.last_error ?? ''}`);
  } else if (command === 'replay') {
    const id = Number(args[0]);
    if (!Number.isInteger(id) || id <= 0) throw new DomainErrorLike(`"${args[0]}" is not a submission id.`);
    await backend.replay(id);
    console.log(`Submission #${id} is queued again; the app's intake worker takes it within a second.`);
  } else if (command === 'disable') {
    const source = await backend.disable(args[0]!);
    console.log(`Disabled form source #${source.id} "${source.name}": its webhook now answers 404.`);
  } else {
    const sources = await backend.list();
    if (!sources.length) console.log('No form sources yet. Add one with: npm run sources -- add <name> <provider>');
    for (const s of sources) {
      const state = s.is_active ? 'active' : `disabled ${s.disabled_at?.slice(0, 10) ?? ''}`;
      console.log(`#${s.id}\t${s.name}\t${s.provider}\t${s.lead_source}\t${state}\t${s.webhook_url}`);
    }
  }
}

function printAccess({ source, webhook_url, secret }: ControlSourceAccess): void {
  console.log(`Webhook URL: ${webhook_url}`);
  console.log(`Secret:      ${secret}`);
  console.log(SETUP_HINT[source.provider]);
}

/** A refusal of the command line itself (a malformed argument). */
class DomainErrorLike extends Error {}

// Refusals with a message written for the person at the terminal: printed as is, exit 1.
const isRefusal = (err: unknown): err is Error => err instanceof DomainError || err instanceof DomainErrorLike || err instanceof ControlRequestError
  || err instanceof AppNotAnsweringError || err instanceof DataDirInUseError;

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
  loadEnvFile();
  const config = createConfig(process.env);
  let backend: SourcesBackend | undefined;
  try {
    backend = config.DATABASE_URL
      ? await openDirectBackend(await createDb({ databaseUrl: config.DATABASE_URL }), config)
      : await connectEmbedded({
        dataDir: config.DATA_DIR,
        config,
        // stderr, so what stdout prints stays exactly the command's output.
        onWaiting: (owner) => console.error(`Waiting for process ${owner.pid} (${owner.command}), which holds ${config.DATA_DIR}, to answer…`),
      });
    await run(backend, command, args);
    return 0;
  } catch (err) {
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
