import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { FormSource } from '../../../core/database.js';
import { createFormSource } from '../../../core/intake/form-source.service.js';
import { receiveSubmission, type IncomingSubmission } from '../../../core/intake/intake.service.js';
import { typeformSignature } from '../../../core/intake/signature.js';
import { makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { readFixtureText } from '../../support/fixtures.js';
import { drainJournal, outcomeOf } from '../../support/intake-journal.js';

const fixture = readFixtureText;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json; charset=utf-8';

let handle: DbHandle;
let tilda: FormSource;
let typeform: FormSource;
let generic: FormSource;

beforeAll(async () => {
  handle = await createTestDb();
  await makeUser(handle.db, { name: 'Agent' });
  tilda = (await createFormSource(handle.db, { name: 'tilda', provider: 'tilda' })).source;
  typeform = (await createFormSource(handle.db, { name: 'typeform', provider: 'typeform', leadSource: 'LEAD_MAGNET' })).source;
  generic = (await createFormSource(handle.db, { name: 'generic', provider: 'generic' })).source;
});
afterAll(async () => { await handle.close(); });

// Each test starts without leads so duplicate detection only sees its own.
beforeEach(async () => {
  for (const t of ['intake_submissions', 'notifications', 'lead_history', 'leads'] as const) {
    await sql`delete from ${sql.table(t)}`.execute(handle.db);
  }
});

/** Receives (journals) a delivery, then lets the worker process it (drainJournal): what it became. */
const send = async (source: FormSource, rawBody: string, contentType: string, extra: Partial<IncomingSubmission> = {}) =>
  outcomeOf(handle.db, await receiveSubmission(handle.db, { source, rawBody, contentType, providedSecret: source.secret, ...extra }));
const signed = (rawBody: string) =>
  send(typeform, rawBody, JSON_TYPE, { providedSecret: null, signature: typeformSignature(typeform.secret, rawBody) });

async function counts() {
  const n = async (t: 'leads' | 'intake_submissions' | 'lead_history' | 'notifications') =>
    Number((await handle.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { leads: await n('leads'), submissions: await n('intake_submissions'), history: await n('lead_history'), notifications: await n('notifications') };
}
const leadById = (id: number | null | undefined) => handle.db.selectFrom('leads').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();

describe('receiveSubmission: fixtures become leads', () => {
  it('Tilda: E.164 phone, lower-cased email, UTM with TILDAUTM content/term, form reference, raw body kept', async () => {
    const body = fixture('tilda.txt');
    const result = await send(tilda, body, FORM);
    expect(result.status).toBe('created');
    expect(await leadById(result.leadId!)).toMatchObject({
      source: 'WEB', full_name: 'Иван Петров', phone: '+79991234567', email: 'ivan@example.com', intent: 'Хочу демо CRM',
      utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: 'autumn_sale', utm_content: 'ad1', utm_term: 'crm',
      form_source_id: tilda.id, form_reference: 'form123456789', assigned_to: expect.any(Number),
    });
    const row = await handle.db.selectFrom('intake_submissions').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ raw_body: body, external_id: '1111111:6161583731', outcome: 'created', lead_id: result.leadId });
    expect(row.payload_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('Typeform lead form: signed body, answers, hidden UTM, the lead source of the form source', async () => {
    const result = await signed(fixture('typeform-lead.json'));
    expect(await leadById(result.leadId!)).toMatchObject({
      source: 'LEAD_MAGNET', full_name: 'Maria Lopez', phone: '+14155550123', email: 'maria@example.com',
      utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring', form_reference: 'AbC123xY',
      intent: 'Plan?: Business',
    });
  });

  it("Typeform's own example payload", async () => {
    const result = await signed(fixture('typeform.json'));
    const lead = await leadById(result.leadId!);
    expect(lead).toMatchObject({ full_name: 'Laura', email: 'laura@example.com', phone: null, form_reference: 'lT4Z3j' });
    expect(lead.intent).toMatch(/^It's cold right now!/);
  });

  it('generic: contact, UTM object, company from custom, extras in the intent', async () => {
    const result = await send(generic, fixture('generic.json'), JSON_TYPE);
    const lead = await leadById(result.leadId!);
    expect(lead).toMatchObject({
      full_name: 'Jane Doe', phone: '+15550100199', email: 'jane@example.com', company: 'ACME',
      utm_source: 'google', utm_medium: 'cpc', utm_campaign: 'spring', utm_content: 'ad-a', utm_term: 'crm bot',
      form_reference: 'landing-spring-2026',
    });
    expect(lead.intent).toBe('Please call me\n\nbudget: 5-10k\npage_url: https://example.com/landing?utm_source=google');
  });

  it('lower-cases and trims the email', async () => {
    const result = await send(generic, JSON.stringify({ name: 'Up', email: '  UP@Example.COM ' }), JSON_TYPE);
    expect((await leadById(result.leadId!)).email).toBe('up@example.com');
  });
});

describe('receiveSubmission: refusals create nothing', () => {
  it.each([
    ['a wrong secret', () => send(tilda, fixture('tilda.txt'), FORM, { providedSecret: 'wrong' }), 'UNAUTHORIZED'],
    ['no secret', () => send(generic, fixture('generic.json'), JSON_TYPE, { providedSecret: null }), 'UNAUTHORIZED'],
    ['a tampered Typeform body', () => send(typeform, fixture('typeform-lead.json').replace('Maria', 'Mallory'), JSON_TYPE,
      { signature: typeformSignature(typeform.secret, fixture('typeform-lead.json')) }), 'UNAUTHORIZED'],
    ['a Typeform secret instead of a signature', () => send(typeform, fixture('typeform-lead.json'), JSON_TYPE), 'UNAUTHORIZED'],
    ['no contact', () => send(generic, '{"name":"Nobody","message":"hi"}', JSON_TYPE), 'UNPROCESSABLE'],
    ['garbage JSON', () => send(generic, '{"name": ', JSON_TYPE), 'UNPROCESSABLE'],
    ['a malformed phone and no email', () => send(generic, '{"phone":"call me"}', JSON_TYPE), 'UNPROCESSABLE'],
    ['text/plain', () => send(generic, fixture('generic.json'), 'text/plain'), 'UNSUPPORTED_MEDIA_TYPE'],
  ])('%s', async (_case, act, code) => {
    await expect(act()).rejects.toMatchObject({ code });
    expect(await counts()).toEqual({ leads: 0, submissions: 0, history: 0, notifications: 0 });
  });

  it('acknowledges the Tilda handshake without storing anything', async () => {
    await expect(receiveSubmission(handle.db, { source: tilda, rawBody: fixture('tilda-test.txt'), contentType: FORM, providedSecret: tilda.secret }))
      .resolves.toEqual({ status: 'test' });
    expect(await counts()).toEqual({ leads: 0, submissions: 0, history: 0, notifications: 0 });
  });

  it('refuses a disabled source', async () => {
    await expect(send({ ...tilda, is_active: false }, fixture('tilda.txt'), FORM)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('receiveSubmission: idempotency and repeats', () => {
  it('a provider retry with the same tranid creates one lead and answers with the first lead', async () => {
    const first = await send(tilda, fixture('tilda.txt'), FORM);
    // Same submission id, slightly different body (e.g. new cookies): still the same submission.
    const retry = await send(tilda, `${fixture('tilda.txt')}&extra=1`, FORM);
    expect(retry).toEqual({ status: 'duplicate', leadId: first.leadId });
    expect((await counts()).leads).toBe(1);
    expect((await counts()).submissions).toBe(1);
  });

  it('the same body without a submission id is a retry within 24 h, and a new inquiry after', async () => {
    const body = JSON.stringify({ name: 'Hash', email: 'hash@example.com' });
    const first = await send(generic, body, JSON_TYPE);
    expect(await send(generic, body, JSON_TYPE)).toEqual({ status: 'duplicate', leadId: first.leadId });
    expect(await counts()).toMatchObject({ leads: 1, submissions: 1 });
    await sql`update intake_submissions set created_at = now() - interval '25 hours'`.execute(handle.db);
    expect(await send(generic, body, JSON_TYPE)).toEqual({ status: 'repeat', leadId: first.leadId });
  });

  it('concurrent deliveries of one submission are journaled once and create one lead', async () => {
    const body = fixture('tilda.txt');
    const answers = await Promise.all(Array.from({ length: 5 }, () =>
      receiveSubmission(handle.db, { source: tilda, rawBody: body, contentType: FORM, providedSecret: tilda.secret })));
    expect(answers.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    const results = [];
    for (const answer of answers) results.push(await outcomeOf(handle.db, answer));
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
    expect(new Set(results.map((r) => r.leadId)).size).toBe(1);
    expect(await counts()).toMatchObject({ leads: 1, submissions: 1 });
  });

  it('two same-body retries journaled at once (past the check) still make one lead: the later one is a retry', async () => {
    const body = JSON.stringify({ name: 'Twin', email: 'twin@example.com' });
    const first = await receiveSubmission(handle.db, { source: generic, rawBody: body, contentType: JSON_TYPE, providedSecret: generic.secret });
    // What a race past the journal's not-exists check leaves: a second row with the same body.
    const twin = await handle.db.insertInto('intake_submissions').values({
      form_source_id: generic.id, external_id: null, payload_hash: (await handle.db.selectFrom('intake_submissions').select('payload_hash').executeTakeFirstOrThrow()).payload_hash,
      content_type: JSON_TYPE, raw_body: body, lead_id: null, outcome: null, last_error: null, duplicate_of: null,
    }).returning('id').executeTakeFirstOrThrow();
    const results = await drainJournal(handle.db);
    expect(results.map((r) => [r.submissionId, r.status])).toEqual([[first.submissionId, 'created'], [twin.id, 'retry']]);
    expect(await handle.db.selectFrom('intake_submissions').select(['outcome', 'duplicate_of']).where('id', '=', twin.id).executeTakeFirstOrThrow())
      .toEqual({ outcome: 'retry', duplicate_of: first.submissionId });
    expect(await counts()).toMatchObject({ leads: 1, submissions: 2 });
  });

  it('different submissions with one email, processed at once, make one lead and repeat inquiries', async () => {
    const bodies = [1, 2, 3, 4].map((i) => JSON.stringify({ name: `Race ${i}`, email: 'race@example.com', external_id: `r${i}` }));
    for (const b of bodies) await receiveSubmission(handle.db, { source: generic, rawBody: b, contentType: JSON_TYPE, providedSecret: generic.secret });
    // One batch, four lanes: the four lead creations race in four transactions.
    const results = await drainJournal(handle.db);
    expect(results.map((r) => r.status).sort()).toEqual(['created', 'repeat', 'repeat', 'repeat']);
    expect(await counts()).toMatchObject({ leads: 1, submissions: 4 });
  });

  it('another submission with a known email is a repeat inquiry on the existing lead', async () => {
    const first = await send(generic, fixture('generic.json'), JSON_TYPE);
    const before = await leadById(first.leadId);
    await sql`update leads set last_activity_at = now() - interval '3 days'`.execute(handle.db);
    const body = JSON.stringify({ name: 'Jane D.', email: 'JANE@example.com', message: 'Still interested', external_id: 'ext-2' });
    const result = await send(generic, body, JSON_TYPE);
    expect(result).toEqual({ status: 'repeat', leadId: first.leadId });
    expect((await counts()).leads).toBe(1);
    const lead = await leadById(first.leadId);
    expect(lead.last_activity_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(lead.full_name).toBe(before.full_name);
    const history = await handle.db.selectFrom('lead_history').selectAll()
      .where('lead_id', '=', first.leadId!).where('action', '=', 'REPEAT_INQUIRY').executeTakeFirstOrThrow();
    expect(history.reason).toBe('Repeat inquiry via generic: Still interested');
    expect(history.details).toMatchObject({ form_source_id: generic.id, external_id: 'ext-2', full_name: 'Jane D.', email: 'jane@example.com' });
    const note = await handle.db.selectFrom('notifications').selectAll().where('kind', '=', 'repeat_inquiry').executeTakeFirstOrThrow();
    expect(note).toMatchObject({ lead_id: first.leadId, recipient_user_id: lead.assigned_to, status: 'pending' });
    const submission = await handle.db.selectFrom('intake_submissions').selectAll().where('external_id', '=', 'ext-2').executeTakeFirstOrThrow();
    expect(submission).toMatchObject({ outcome: 'duplicate', lead_id: first.leadId, raw_body: body });
  });
});

describe('receiveSubmission: phones without a country code (DEFAULT_COUNTRY)', () => {
  it('stores a national number as E.164 in the default country, and matches it against the same number later', async () => {
    const first = await outcomeOf(handle.db, await receiveSubmission(handle.db, {
      source: generic, rawBody: JSON.stringify({ name: 'Olena', phone: '093 123 45 67' }), contentType: JSON_TYPE, providedSecret: generic.secret,
    }, { defaultCountry: 'UA' }), { defaultCountry: 'UA' });
    expect(first.status).toBe('created');
    expect((await leadById(first.leadId)).phone).toBe('+380931234567');
    const again = await outcomeOf(handle.db, await receiveSubmission(handle.db, {
      source: tilda, rawBody: 'Name=Olena&Phone=%2B38%20(093)%20123-45-67&tranid=ua-2', contentType: FORM, providedSecret: tilda.secret,
    }, { defaultCountry: 'UA' }), { defaultCountry: 'UA' });
    expect(again).toEqual({ status: 'repeat', leadId: first.leadId });
  });
});

describe('receiveSubmission: half-broken contacts', () => {
  it('keeps a lead with its email when the phone is malformed, and keeps the typed phone as unverified', async () => {
    const result = await send(generic, JSON.stringify({ name: 'Typo', phone: 'call me maybe', email: 'typo@example.com', message: 'Hi' }), JSON_TYPE);
    expect(await leadById(result.leadId!)).toMatchObject({
      phone: null, phone_unverified: 'call me maybe', email: 'typo@example.com', intent: 'Hi',
    });
  });

  it('never loses a lead whose only contact is a phone the parser cannot read (no country code, no default)', async () => {
    const result = await send(tilda, 'Name=Olena&Phone=093%20123%2045%2067&tranid=unverified-1', FORM);
    expect(result.status).toBe('created');
    expect(await leadById(result.leadId)).toMatchObject({
      full_name: 'Olena', phone: null, email: null, phone_unverified: '093 123 45 67', intent: null,
    });
    expect(await counts()).toMatchObject({ leads: 1, submissions: 1, notifications: 1 });
  });

  it('keeps a number with too few digits for its country as unverified too', async () => {
    const result = await send(generic, JSON.stringify({ name: 'Short', phone: '+380 93 12' }), JSON_TYPE);
    expect(await leadById(result.leadId)).toMatchObject({ phone: null, phone_unverified: '+380 93 12' });
  });

  it.each([
    ['no digits', 'call me'],
    ['four digits', '12-34'],
  ])('refuses (422) typed phone text with %s and no other contact, creating nothing', async (_case, phone) => {
    await expect(send(generic, JSON.stringify({ name: 'Nobody', phone }), JSON_TYPE)).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
    expect(await counts()).toEqual({ leads: 0, submissions: 0, history: 0, notifications: 0 });
  });

  it('does not match leads by unverified phone text (§4 uses normalised contacts only)', async () => {
    const first = await send(generic, JSON.stringify({ name: 'A', phone: '093 123 45 67', external_id: 'u1' }), JSON_TYPE);
    const second = await send(generic, JSON.stringify({ name: 'B', phone: '093 123 45 67', external_id: 'u2' }), JSON_TYPE);
    expect([first.status, second.status]).toEqual(['created', 'created']);
    expect(second.leadId).not.toBe(first.leadId);
  });

  it('records the unverified phone text in a repeat inquiry', async () => {
    const first = await send(generic, JSON.stringify({ name: 'Rep', email: 'rep@example.com', external_id: 'r-1' }), JSON_TYPE);
    const again = await send(generic, JSON.stringify({ name: 'Rep', email: 'rep@example.com', phone: '093 999', external_id: 'r-2' }), JSON_TYPE);
    expect(again).toEqual({ status: 'repeat', leadId: first.leadId });
    const history = await handle.db.selectFrom('lead_history').selectAll()
      .where('lead_id', '=', first.leadId!).where('action', '=', 'REPEAT_INQUIRY').executeTakeFirstOrThrow();
    expect(history.details).toMatchObject({ phone: null, phone_unverified: '093 999', email: 'rep@example.com' });
  });

  it('keeps a lead with its phone when the email is malformed', async () => {
    const result = await send(generic, JSON.stringify({ phone: '+44 20 7946 0958', email: 'not-an-email' }), JSON_TYPE);
    expect(await leadById(result.leadId!)).toMatchObject({ phone: '+442079460958', email: null });
  });
});
