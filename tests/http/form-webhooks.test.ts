import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import type { FormSource } from '../../core/database.js';
import { createFormSource, disableFormSource } from '../../core/intake/form-source.service.js';
import { typeformSignature } from '../../core/intake/signature.js';
import { createFormWebhookRoutes } from '../../http/routes/form-webhooks.js';
import { makeUser } from '../support/factories.js';
import { createTestDb } from '../support/test-db.js';
import { createTestCore } from '../support/test-core.js';
import { createTestStore } from '../support/test-store.js';
import { buildApp, captureLogger } from './http-harness.js';
import { readFixture } from '../support/fixtures.js';
import { processJournal } from '../support/intake-journal.js';

// Bytes verbatim: the Typeform vectors are computed over the exact files.
const fixture = readFixture;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const VECTORS = {
  'typeform.json': 'sha256=KHDuvbF0+sPSzaJcvPuBB2cliFR6cjgPzwktP0BctL8=',
  'typeform-lead.json': 'sha256=tH4Cajj0rPGbTczPpsRVMoE/PR24PDKefjc4xSxMXwM=',
} as const;

type Body = NonNullable<RequestInit['body']>;

let handle: DbHandle;
const store = createTestStore();
const log = captureLogger();
let accepted = 0;
let app: ReturnType<typeof buildApp>['app'];
let tilda: FormSource;
let typeform: FormSource;
let generic: FormSource;
let core: ReturnType<typeof createTestCore>;

beforeAll(async () => {
  handle = await createTestDb();
  await makeUser(handle.db, { name: 'Agent' });
  tilda = (await createFormSource(handle.db, { name: 'Tilda landing', provider: 'tilda' })).source;
  generic = (await createFormSource(handle.db, { name: 'Generic', provider: 'generic' })).source;
  typeform = (await createFormSource(handle.db, { name: 'Typeform demo', provider: 'typeform' })).source;
  // The README's vectors are signed with test_secret.
  typeform = await handle.db.updateTable('form_sources').set({ secret: 'test_secret' })
    .where('id', '=', typeform.id).returningAll().executeTakeFirstOrThrow();
  core = createTestCore(handle, store);
  // The card a lead queues wakes delivery through the database, at the commit.
  await core.outbox.onQueued(() => { accepted += 1; });
  const routes = createFormWebhookRoutes({ core, logger: log.logger });
  ({ app } = buildApp({ handle, store, core, logger: log.logger, routes: [{ path: '/webhooks/forms', app: routes }] }));
});
afterAll(async () => {
  await store.close();
  await handle.close();
});
beforeEach(async () => {
  for (const t of ['intake_submissions', 'notifications', 'lead_history', 'leads'] as const) {
    await sql`delete from ${sql.table(t)}`.execute(handle.db);
  }
});

function post(source: Pick<FormSource, 'slug'>, body: Body, headers: Record<string, string>, query = '') {
  return app.request(`/webhooks/forms/${source.slug}${query}`, { method: 'POST', body, headers });
}
const postTilda = (body: Body, secret = tilda.secret) =>
  post(tilda, body, { 'content-type': `${FORM}; charset=UTF-8` }, `?secret=${encodeURIComponent(secret)}`);
const postGeneric = (body: Body, headers: Record<string, string> = {}) =>
  post(generic, body, { 'content-type': JSON_TYPE, 'x-webhook-secret': generic.secret, ...headers });

async function rowCounts() {
  const n = async (t: 'leads' | 'intake_submissions' | 'lead_history' | 'notifications') =>
    Number((await handle.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { leads: await n('leads'), submissions: await n('intake_submissions'), history: await n('lead_history'), notifications: await n('notifications') };
}
const NOTHING = { leads: 0, submissions: 0, history: 0, notifications: 0 };
/** A 202 (journaled, issue 14), then the intake worker's run (the explicit signal): the lead it became. */
async function leadOf(res: Response, via = core): Promise<number> {
  expect(res.status).toBe(202);
  const body = await res.json() as { status: string; submission_id: number };
  expect(body).toEqual({ status: 'accepted', submission_id: expect.any(Number) });
  await processJournal(via);
  const row = await handle.db.selectFrom('intake_submissions').select(['status', 'outcome', 'lead_id'])
    .where('id', '=', body.submission_id).executeTakeFirstOrThrow();
  expect(row).toMatchObject({ status: 'done', lead_id: expect.any(Number) });
  return row.lead_id!;
}
const leadById = (id: number) => handle.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('POST /webhooks/forms/:slug — accepted submissions', () => {
  it('a Tilda submission with ?secret= is accepted (202) and becomes the lead with UTM from fields and TILDAUTM', async () => {
    const res = await postTilda(fixture('tilda.txt'));
    const leadId = await leadOf(res);
    expect(await leadById(leadId)).toMatchObject({
      full_name: 'Иван Петров', phone: '+79991234567', email: 'ivan@example.com',
      utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'autumn_sale', utm_content: 'ad1', utm_term: 'crm',
      form_source_id: tilda.id, form_reference: 'form123456789',
    });
    expect(await rowCounts()).toMatchObject({ leads: 1, submissions: 1, notifications: 1 });
  });

  it.each(Object.entries(VECTORS))('a signed Typeform delivery (%s) is accepted (202) and becomes a lead', async (file, signature) => {
    const res = await post(typeform, fixture(file), { 'content-type': JSON_TYPE, 'typeform-signature': signature });
    const lead_id = await leadOf(res);
    const expected = file === 'typeform.json'
      ? { full_name: 'Laura', email: 'laura@example.com', form_reference: 'lT4Z3j' }
      : { full_name: 'Maria Lopez', email: 'maria@example.com', phone: '+14155550123', utm_source: 'google', form_reference: 'AbC123xY' };
    expect(await leadById(lead_id)).toMatchObject(expected);
  });

  it('a generic JSON submission with the X-Webhook-Secret header is accepted (202) and becomes a lead', async () => {
    const res = await postGeneric(fixture('generic.json'), { 'content-type': 'application/json; charset=utf-8' });
    const lead_id = await leadOf(res);
    expect(await leadById(lead_id)).toMatchObject({
      full_name: 'Jane Doe', phone: '+15550100199', email: 'jane@example.com', company: 'ACME', utm_content: 'ad-a', utm_term: 'crm bot',
    });
  });

  it("answers Typeform's signed \"Send test request\" with 200 and creates nothing", async () => {
    // Shape of Typeform's test delivery (see typeform.adapter.ts): the token repeats the event id.
    const body = JSON.stringify({
      event_id: '01H5320DBGJF8PEJNWTN565S0A', event_type: 'form_response',
      form_response: {
        form_id: 'AbC123xY', token: '01H5320DBGJF8PEJNWTN565S0A', landed_at: '2023-07-11T18:04:23Z', submitted_at: '2023-07-11T18:04:23Z',
        definition: { id: 'AbC123xY', title: 'Lead form', fields: [{ id: 'f1', title: 'Email', type: 'email', ref: 'email' }] },
        answers: [{ type: 'email', email: 'an_account@example.com', field: { id: 'f1', type: 'email', ref: 'email' } }],
      },
    });
    const res = await post(typeform, body, { 'content-type': JSON_TYPE, 'typeform-signature': typeformSignature('test_secret', body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'test' });
    expect(await rowCounts()).toEqual(NOTHING);
  });

  it('strips a NUL inside a value and keeps the lead', async () => {
    const res = await postGeneric('{"name":"Iv\\u0000an","email":"nul-value@example.com","message":"hi\\u0000 there"}');
    const lead_id = await leadOf(res);
    expect(await leadById(lead_id)).toMatchObject({ full_name: 'Ivan', intent: 'hi there' });
  });

  it('reads a phone without a country code in the configured default country', async () => {
    const uaCore = createTestCore(handle, store, { DEFAULT_COUNTRY: 'UA' });
    const routes = createFormWebhookRoutes({ core: uaCore, logger: log.logger });
    const ua = buildApp({ handle, store, core: uaCore, logger: log.logger, routes: [{ path: '/webhooks/forms', app: routes }] }).app;
    const res = await ua.request(`/webhooks/forms/${tilda.slug}?secret=${encodeURIComponent(tilda.secret)}`, {
      method: 'POST', body: 'Name=Olena&Phone=093%20123%2045%2067', headers: { 'content-type': FORM },
    });
    const lead_id = await leadOf(res, uaCore);
    expect((await leadById(lead_id)).phone).toBe('+380931234567');
  });

  it('keeps a lead whose phone has no country code and no default as unverified', async () => {
    const res = await postTilda('Name=Olena&Phone=093%20123%2045%2067');
    const lead_id = await leadOf(res);
    expect(await leadById(lead_id)).toMatchObject({ phone: null, email: null, phone_unverified: '093 123 45 67' });
  });

  it('answers the Tilda handshake with 200 and creates nothing', async () => {
    const res = await postTilda(fixture('tilda-test.txt'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'test' });
    expect(await rowCounts()).toEqual(NOTHING);
  });
});

describe('POST /webhooks/forms/:slug — provider retries and repeat inquiries', () => {
  it('a retried Tilda delivery (same tranid) gets 200 with the first lead and creates nothing more', async () => {
    const first = await leadOf(await postTilda(fixture('tilda.txt')));
    const retry = await postTilda(fixture('tilda.txt'));
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ status: 'duplicate', submission_id: expect.any(Number), lead_id: first });
    expect(await processJournal(core)).toEqual([]);
    expect(await rowCounts()).toMatchObject({ leads: 1, submissions: 1, notifications: 1 });
  });

  it('the same generic body twice (no submission id) creates one lead', async () => {
    const body = JSON.stringify({ name: 'Twice', email: 'twice@example.com' });
    expect((await postGeneric(body)).status).toBe(202);
    // Retried before the worker ran: the first delivery's lead is not known yet.
    const again = await postGeneric(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate', lead_id: null });
    await processJournal(core);
    expect(await rowCounts()).toMatchObject({ leads: 1, submissions: 1 });
  });

  it('a different submission with a known email is a repeat inquiry on the existing lead (200)', async () => {
    const lead_id = await leadOf(await postGeneric(fixture('generic.json')));
    await sql`update leads set last_activity_at = now() - interval '2 days'`.execute(handle.db);
    const res = await postGeneric(JSON.stringify({ name: 'Jane', email: 'Jane@Example.com', message: 'Any news?', external_id: 'ext-999' }));
    expect(await leadOf(res)).toBe(lead_id);
    expect(await handle.db.selectFrom('intake_submissions').select('outcome').where('external_id', '=', 'ext-999').executeTakeFirstOrThrow())
      .toEqual({ outcome: 'duplicate' });
    const lead = await leadById(lead_id);
    expect(lead.last_activity_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    const actions = await handle.db.selectFrom('lead_history').select('action').where('lead_id', '=', lead_id).execute();
    expect(actions.map((a) => a.action)).toContain('REPEAT_INQUIRY');
    const kinds = await handle.db.selectFrom('notifications').select(['kind', 'recipient_user_id']).where('lead_id', '=', lead_id).execute();
    expect(kinds).toContainEqual({ kind: 'repeat_inquiry', recipient_user_id: lead.assigned_to });
    expect(await rowCounts()).toMatchObject({ leads: 1, submissions: 2 });
  });
});

describe('POST /webhooks/forms/:slug — refusals create nothing', () => {
  const big = 'a='.concat('x'.repeat(64 * 1024));
  const cases: [string, () => Response | Promise<Response>, number, string][] = [
    ['unknown slug', () => post({ slug: 'A'.repeat(24) }, fixture('tilda.txt'), { 'content-type': FORM }), 404, 'NOT_FOUND'],
    ['wrong Tilda secret', () => postTilda(fixture('tilda.txt'), 'wrong'), 401, 'UNAUTHORIZED'],
    ['no secret at all', () => post(tilda, fixture('tilda.txt'), { 'content-type': FORM }), 401, 'UNAUTHORIZED'],
    ['tampered Typeform body', () => post(typeform, Buffer.from(fixture('typeform-lead.json').toString().replace('Maria', 'Eve')),
      { 'content-type': JSON_TYPE, 'typeform-signature': VECTORS['typeform-lead.json'] }), 401, 'UNAUTHORIZED'],
    ['Typeform signature for another body', () => post(typeform, fixture('typeform-lead.json'),
      { 'content-type': JSON_TYPE, 'typeform-signature': VECTORS['typeform.json'] }), 401, 'UNAUTHORIZED'],
    ['text/plain', () => postGeneric(fixture('generic.json'), { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no content type', () => post(generic, new Blob([fixture('generic.json')]), { 'x-webhook-secret': generic.secret }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over 64 KB', () => postTilda(big), 413, 'PAYLOAD_TOO_LARGE'],
    ['garbage JSON', () => postGeneric('{"name": "Jane", '), 422, 'UNPROCESSABLE'],
    ['no phone or email', () => postGeneric(JSON.stringify({ name: 'Ghost', message: 'hello' })), 422, 'UNPROCESSABLE'],
  ];
  it.each(cases)('%s → %i', async (_case, act, status, code) => {
    const res = await act();
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: code, message: expect.any(String) });
    expect(await rowCounts()).toEqual(NOTHING);
  });

  // PostgreSQL text and jsonb cannot hold U+0000: a NUL in a field name used to
  // reach the intent (and history jsonb) and fail with a 500 on every provider retry.
  it.each([
    ['an urlencoded key with %00', () => postTilda('Name=Ivan&Pho%00ne=%2B380931234567&Email=nul-key%40example.com')],
    ['a JSON key with \\u0000', () => postGeneric('{"name":"Ivan","email":"nul-key@example.com","bud\\u0000get":"5k"}')],
    ['a nested JSON key with \\u0000', () => postGeneric('{"email":"nul-key@example.com","custom":{"a\\u0000b":"x"}}')],
  ])('a NUL in a field name (%s) → 422 naming the problem, nothing stored', async (_case, act) => {
    const res = await act();
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: 'UNPROCESSABLE', message: expect.stringMatching(/NUL/) });
    expect(await rowCounts()).toEqual(NOTHING);
  });

  it('413 trusts a declared Content-Length over 64 KB without reading the body', async () => {
    const res = await post(tilda, 'a=b', { 'content-type': FORM, 'content-length': String(64 * 1024 + 1) }, `?secret=${tilda.secret}`);
    expect(res.status).toBe(413);
    expect(await rowCounts()).toEqual(NOTHING);
  });

  it('413 counts the bytes actually sent, not only Content-Length (chunked body)', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await app.request(`/webhooks/forms/${tilda.slug}?secret=${tilda.secret}`, {
      method: 'POST', body: stream, headers: { 'content-type': FORM }, duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await rowCounts()).toEqual(NOTHING);
  });

  // §11/§16: a caller without the secret learns nothing about format or size limits.
  describe('the secret or signature is checked before the content type and the size', () => {
    const wrongTilda = (body: Body, contentType: string, headers: Record<string, string> = {}) =>
      post(tilda, body, { 'content-type': contentType, ...headers }, '?secret=wrong');
    const unsigned = (body: Body, contentType = JSON_TYPE, headers: Record<string, string> = {}) =>
      post(typeform, body, { 'content-type': contentType, ...headers });
    const signedWith = (signature: string, body: Body, contentType = JSON_TYPE) =>
      post(typeform, body, { 'content-type': contentType, 'typeform-signature': signature });
    const cases: [string, number, string, () => Response | Promise<Response>][] = [
      ['wrong Tilda secret, text/plain', 401, 'UNAUTHORIZED', () => wrongTilda(fixture('tilda.txt'), 'text/plain')],
      ['wrong Tilda secret, a body over 64 KB', 401, 'UNAUTHORIZED', () => wrongTilda(big, FORM)],
      ['wrong Tilda secret, Content-Length over 64 KB', 401, 'UNAUTHORIZED', () => wrongTilda('a=b', FORM, { 'content-length': String(64 * 1024 + 1) })],
      ['no generic secret, no content type', 401, 'UNAUTHORIZED', () => post(generic, new Blob([fixture('generic.json')]), {})],
      ['Typeform without a signature, text/plain', 401, 'UNAUTHORIZED', () => unsigned(fixture('typeform-lead.json'), 'text/plain')],
      ['Typeform without a signature, a body over 64 KB', 401, 'UNAUTHORIZED', () => unsigned(big)],
      ['Typeform with a wrong signature, text/plain', 401, 'UNAUTHORIZED', () => signedWith(VECTORS['typeform.json'], fixture('typeform-lead.json'), 'text/plain')],
      // The signature covers the body, so a signed body over the limit cannot be verified.
      ['Typeform with a signature, a body over 64 KB', 413, 'PAYLOAD_TOO_LARGE', () => signedWith(VECTORS['typeform.json'], big)],
      ['Typeform correctly signed, text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE', () => signedWith(VECTORS['typeform-lead.json'], fixture('typeform-lead.json'), 'text/plain')],
    ];
    it.each(cases)('%s → %i %s', async (_case, status, code, act) => {
      const res = await act();
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ error: code, message: expect.any(String) });
      expect(await rowCounts()).toEqual(NOTHING);
    });
  });

  it('a disabled source answers 404', async () => {
    const { source } = await createFormSource(handle.db, { name: 'Old form', provider: 'generic' });
    await disableFormSource(handle.db, source.id);
    const res = await post(source, fixture('generic.json'), { 'content-type': JSON_TYPE, 'x-webhook-secret': source.secret });
    expect(res.status).toBe(404);
    expect(await rowCounts()).toEqual(NOTHING);
  });
});

describe('logging', () => {
  it('names events and never logs the secret, slug, phone or email', async () => {
    const before = accepted;
    await postTilda(fixture('tilda.txt'));
    await postTilda(fixture('tilda.txt'), 'wrong-secret');
    const text = log.text();
    const events = log.lines.map((l) => l.msg);
    expect(events).toEqual(expect.arrayContaining(['intake_accepted', 'intake_rejected']));
    await processJournal(core);
    await vi.waitFor(() => expect(accepted).toBeGreaterThan(before));
    for (const secretish of [tilda.secret, tilda.slug, 'wrong-secret', '+79991234567', '(999) 123', 'ivan@example.com', 'ivan%40example.com']) {
      expect(text).not.toContain(secretish);
    }
  });
});
