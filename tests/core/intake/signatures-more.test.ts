import { describe, expect, it } from 'vitest';
import type { FormSource } from '../../../core/database.js';
import { authenticateSubmission } from '../../../core/intake/intake-auth.rules.js';
import { hubspotSignatureV3, tallySignature, webflowSignature } from '../../../core/intake/signature.js';
import { readMoreFixture } from '../../support/fixtures.js';

// The vectors of tests/fixtures/forms-more/README.md, over the exact file bytes, secret test_secret.
const SECRET = 'test_secret';
const body = (name: string) => readMoreFixture(name).toString('utf8');
const HUBSPOT_URL = 'https://crm.example.com/webhooks/forms/hubspotSlug000000001';
const WEBFLOW_TS = '1722370035277';
const HUBSPOT_TS = '1733500000000';

const source = (provider: FormSource['provider'], signing: string | null = null): FormSource => ({
  id: 1, name: provider, provider, slug: 'hubspotSlug000000001', secret: SECRET, signing_secret: signing, lead_source: 'WEB',
  is_active: true, created_by: null, created_at: new Date(), disabled_at: null,
});
const refused = { code: 'UNAUTHORIZED' };

describe('signature vectors over the fixtures\' exact bytes', () => {
  it('match the README', () => {
    expect(tallySignature(SECRET, body('tally.json'))).toBe('d5XwiKpbC7q6b2/7GzHfGPz1zwZV5PPNxV+Bk5Lsj9A=');
    expect(webflowSignature(SECRET, WEBFLOW_TS, body('webflow.json'))).toBe('705d1cc89a6c4c8569b2e7c150cf7dd7827a631beef60b855ce6849b6eb816f5');
    expect(hubspotSignatureV3(SECRET, { method: 'POST', url: HUBSPOT_URL, rawBody: body('hubspot-contact.json'), timestamp: HUBSPOT_TS }))
      .toBe('Hxma8w535tcG4D42kfV1uv9zftiByVQKY4rs1y+NXi0=');
  });

  it('HubSpot signs the URL with the escapes it documents decoded', () => {
    const p = { method: 'post', rawBody: '{}', timestamp: HUBSPOT_TS };
    expect(hubspotSignatureV3(SECRET, { ...p, url: `${HUBSPOT_URL}?to=a%40b.c%2Cd` }))
      .toBe(hubspotSignatureV3(SECRET, { ...p, url: `${HUBSPOT_URL}?to=a@b.c,d` }));
  });
});

describe('authenticateSubmission for the signing providers (§11, §16)', () => {
  it('Tally: Tally-Signature over the body with the secret we gave it', () => {
    const raw = body('tally.json');
    const headers = { 'tally-signature': 'd5XwiKpbC7q6b2/7GzHfGPz1zwZV5PPNxV+Bk5Lsj9A=' };
    expect(() => authenticateSubmission(source('tally'), { headers }, raw)).not.toThrow();
    expect(() => authenticateSubmission(source('tally'), { headers }, `${raw} `)).toThrow(expect.objectContaining(refused));
    expect(() => authenticateSubmission(source('tally'), { providedSecret: SECRET })).toThrow(expect.objectContaining(refused));
  });

  it('Webflow: x-webflow-signature over "timestamp:body", refused outside 5 minutes', () => {
    const raw = body('webflow.json');
    const headers = { 'x-webflow-signature': '705d1cc89a6c4c8569b2e7c150cf7dd7827a631beef60b855ce6849b6eb816f5', 'x-webflow-timestamp': WEBFLOW_TS };
    const signed = source('webflow', SECRET);
    const at = new Date(Number(WEBFLOW_TS) + 60_000);
    expect(() => authenticateSubmission(signed, { headers }, raw, at)).not.toThrow();
    expect(() => authenticateSubmission(signed, { headers }, raw, new Date(Number(WEBFLOW_TS) + 6 * 60_000)))
      .toThrow(expect.objectContaining({ message: expect.stringMatching(/5-minute/) }));
    expect(() => authenticateSubmission(signed, { headers: { ...headers, 'x-webflow-signature': '00' } }, raw, at))
      .toThrow(expect.objectContaining(refused));
    // Without its signing key a Webflow source takes the shared secret, like a generic form.
    expect(() => authenticateSubmission(source('webflow'), { providedSecret: SECRET }, raw)).not.toThrow();
  });

  it('HubSpot: X-HubSpot-Signature-v3 over method, URL, body and timestamp', () => {
    const raw = body('hubspot-contact.json');
    const credentials = {
      method: 'POST', requestUrl: HUBSPOT_URL,
      headers: { 'x-hubspot-signature-v3': 'Hxma8w535tcG4D42kfV1uv9zftiByVQKY4rs1y+NXi0=', 'x-hubspot-request-timestamp': HUBSPOT_TS },
    };
    const at = new Date(Number(HUBSPOT_TS) + 1000);
    expect(() => authenticateSubmission(source('hubspot', SECRET), credentials, raw, at)).not.toThrow();
    expect(() => authenticateSubmission(source('hubspot', SECRET), { ...credentials, requestUrl: `${HUBSPOT_URL}?x=1` }, raw, at))
      .toThrow(expect.objectContaining(refused));
    expect(() => authenticateSubmission(source('hubspot', SECRET), { headers: {} }, undefined, at))
      .toThrow(expect.objectContaining({ message: expect.stringMatching(/Missing/) }));
  });

  it('Jotform signs nothing: the shared secret decides', () => {
    expect(() => authenticateSubmission(source('jotform'), { providedSecret: SECRET })).not.toThrow();
    expect(() => authenticateSubmission(source('jotform'), { providedSecret: 'no' })).toThrow(expect.objectContaining(refused));
  });
});
