import { pino } from 'pino';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR } from '../../core/access/access-policy.js';
import { createCore } from '../../core/create-core.js';
import type { DbHandle } from '../../core/create-db.js';
import type { FormSource } from '../../core/database.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { tallySignature } from '../../core/intake/signature.js';
import { processJournal } from '../support/intake-journal.js';
import { createFormWebhookRoutes } from '../../http/routes/form-webhooks.js';
import { readMoreFixture } from '../support/fixtures.js';
import { makeUser } from '../support/factories.js';
import { createTestDb } from '../support/test-db.js';
import { createTestStore } from '../support/test-store.js';
import { buildApp, testConfig } from './http-harness.js';

// Webflow, Tally, Jotform and HubSpot deliveries over HTTP (§11), with the documented payloads
// and signatures over their exact bytes (tests/fixtures/forms-more/README.md).

const SECRET = 'test_secret';
const MULTIPART = 'multipart/form-data; boundary=------------------------jotformBoundary7MA4YWxk';
// The clock of the signed fixtures: a second after HubSpot's timestamp (Webflow's is checked separately).
const HUBSPOT_TS = 1733500000000;
let now = new Date(HUBSPOT_TS + 1000);

let handle: DbHandle;
const store = createTestStore();
let app: ReturnType<typeof buildApp>['app'];
const sources: Record<'webflow' | 'tally' | 'jotform' | 'hubspot', FormSource> = {} as never;

let core: ReturnType<typeof createCore>;

beforeAll(async () => {
  handle = await createTestDb();
  await makeUser(handle.db, { name: 'Agent' });
  for (const provider of ['webflow', 'tally', 'jotform', 'hubspot'] as const) {
    const { source } = await createFormSource(handle.db, { name: provider, provider });
    sources[provider] = await handle.db.updateTable('form_sources')
      .set({ secret: SECRET, ...(provider === 'hubspot' ? { slug: 'hubspotSlug000000001', signing_secret: SECRET } : {}) })
      .where('id', '=', source.id).returningAll().executeTakeFirstOrThrow();
  }
  const config = testConfig({ PUBLIC_URL: 'https://crm.example.com' });
  core = createCore({ db: handle.db, store, config, logger: pino({ level: 'silent' }), now: () => now });
  const routes = createFormWebhookRoutes({ core, logger: pino({ level: 'silent' }) });
  ({ app } = buildApp({ handle, store, core, config, routes: [{ path: '/webhooks/forms', app: routes }] }));
});
afterAll(async () => {
  await store.close();
  await handle.close();
});
beforeEach(async () => {
  for (const t of ['intake_submissions', 'notifications', 'lead_history', 'leads'] as const) await sql`delete from ${sql.table(t)}`.execute(handle.db);
});

const post = (source: FormSource, body: NonNullable<RequestInit['body']>, headers: Record<string, string>, query = '') =>
  app.request(`/webhooks/forms/${source.slug}${query}`, { method: 'POST', body, headers });
/** A 202 (journaled), then the intake worker's run (the explicit signal): the lead it became. */
const leadOf = async (res: Response) => {
  expect(res.status).toBe(202);
  const { submission_id } = await res.json() as { submission_id: number };
  await processJournal(core);
  const { lead_id } = await handle.db.selectFrom('intake_submissions').select('lead_id').where('id', '=', submission_id).executeTakeFirstOrThrow();
  return handle.db.selectFrom('leads').selectAll().where('id', '=', lead_id!).executeTakeFirstOrThrow();
};

describe('more form builders over HTTP (§11)', () => {
  it('Tally: a signed delivery is accepted (202) and becomes the lead; a wrong signature is 401 and creates nothing', async () => {
    const body = readMoreFixture('tally.json');
    const signature = tallySignature(SECRET, body.toString('utf8'));
    const res = await post(sources.tally, body, { 'content-type': 'application/json', 'tally-signature': signature });
    expect(await leadOf(res)).toMatchObject({ email: 'alice@example.com', phone: '+32491223344', utm_campaign: 'newsletter', form_reference: 'Webhook payload' });
    const again = await post(sources.tally, body, { 'content-type': 'application/json', 'tally-signature': signature });
    expect(await again.json()).toMatchObject({ status: 'duplicate' });
    const forged = await post(sources.tally, body, { 'content-type': 'application/json', 'tally-signature': 'AAAA' });
    expect(forged.status).toBe(401);
  });

  it('Jotform: a multipart/form-data delivery with ?secret= creates the lead', async () => {
    const res = await post(sources.jotform, readMoreFixture('jotform.multipart.txt'), { 'content-type': MULTIPART },
      `?secret=${SECRET}`);
    expect(await leadOf(res)).toMatchObject({ full_name: 'Olena Shevchenko', email: 'olena@example.com', form_reference: 'Contact Us' });
    expect((await post(sources.jotform, readMoreFixture('jotform.multipart.txt'), { 'content-type': MULTIPART })).status).toBe(401);
  });

  it('multipart bodies are held to the same 64 KB cap (413)', async () => {
    const big = `--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n${'x'.repeat(70 * 1024)}\r\n--b--\r\n`;
    const res = await post(sources.jotform, big, { 'content-type': 'multipart/form-data; boundary=b' }, `?secret=${SECRET}`);
    expect(res.status).toBe(413);
  });

  it('HubSpot: X-HubSpot-Signature-v3 over the URL it called; a stale timestamp is 401', async () => {
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': 'Hxma8w535tcG4D42kfV1uv9zftiByVQKY4rs1y+NXi0=',
      'x-hubspot-request-timestamp': String(HUBSPOT_TS),
    };
    const res = await post(sources.hubspot, readMoreFixture('hubspot-contact.json'), headers);
    expect(await leadOf(res)).toMatchObject({ email: 'testingapis@hubspot.com', full_name: 'HubSpot Test', company: 'HubSpot', position: 'Developer' });
    await sql`delete from intake_submissions`.execute(handle.db);
    now = new Date(HUBSPOT_TS + 10 * 60_000);
    expect((await post(sources.hubspot, readMoreFixture('hubspot-contact.json'), headers)).status).toBe(401);
    now = new Date(HUBSPOT_TS + 1000);
  });

  it('Webflow: unsigned (no signing key) it takes ?secret=, and the number phone becomes international', async () => {
    const res = await post(sources.webflow, readMoreFixture('webflow.json'), { 'content-type': 'application/json' }, `?secret=${SECRET}`);
    expect(await leadOf(res)).toMatchObject({ full_name: 'Zaphod Beeblebrox', phone: '+15550000000', email: 'zaphod@heartofgold.ai', form_reference: 'Contact Us' });
  });

  it('Webflow: with its signing key, x-webflow-signature decides', async () => {
    await core.formSources.setSigningSecret(OPERATOR, sources.webflow.id, SECRET);
    now = new Date(1722370035277 + 2000);
    const headers = {
      'content-type': 'application/json', 'x-webflow-timestamp': '1722370035277',
      'x-webflow-signature': '705d1cc89a6c4c8569b2e7c150cf7dd7827a631beef60b855ce6849b6eb816f5',
    };
    expect((await post(sources.webflow, readMoreFixture('webflow.json'), headers)).status).toBe(202);
    expect((await post(sources.webflow, readMoreFixture('webflow.json'), { ...headers, 'x-webflow-timestamp': '1722370035278' })).status).toBe(401);
    now = new Date(HUBSPOT_TS + 1000);
  });
});
