import { describe, expect, it } from 'vitest';
import { parseGeneric } from '../../../core/intake/adapters/generic.adapter.js';
import { parseHubspot } from '../../../core/intake/adapters/hubspot.adapter.js';
import { parseJotform } from '../../../core/intake/adapters/jotform.adapter.js';
import { parseTally } from '../../../core/intake/adapters/tally.adapter.js';
import { parseWebflow } from '../../../core/intake/adapters/webflow.adapter.js';
import { readMoreFixture } from '../../support/fixtures.js';

// Each provider's documented payload (tests/fixtures/forms-more/README.md says where each came from).
const fixture = (name: string) => readMoreFixture(name).toString('utf8');
const JSON_TYPE = 'application/json' as const;
const MULTIPART = 'multipart/form-data; boundary=------------------------jotformBoundary7MA4YWxk';

describe('Webflow adapter (§11)', () => {
  it('reads the documented form_submission: name from first and last name, the phone Webflow sends as a number', () => {
    const s = parseWebflow(fixture('webflow.json'), JSON_TYPE);
    expect(s).toMatchObject({
      externalId: '6321ca84df3949bfc6752327', isTest: false,
      contact: { fullName: 'Zaphod Beeblebrox', phone: '+15550000000', email: 'zaphod@heartofgold.ai' },
      formReference: 'Contact Us',
    });
  });

  it('acknowledges other triggers (a site publish on the same URL) without a lead', () => {
    expect(parseWebflow(JSON.stringify({ triggerType: 'site_publish', payload: { siteId: 'x' } }), JSON_TYPE).isTest).toBe(true);
  });
});

describe('Tally adapter (§11)', () => {
  const s = parseTally(fixture('tally.json'), JSON_TYPE);

  it('takes email and phone from their field types, UTM from hidden utm_* fields, the response id as the submission', () => {
    expect(s).toMatchObject({
      externalId: '2wgx4n', isTest: false,
      contact: { phone: '+32491223344', email: 'alice@example.com' },
      utm: { campaign: 'newsletter' },
      formReference: 'Webhook payload',
    });
  });

  it('turns choice ids into their texts and keeps every other answer', () => {
    expect(s.extra).toMatchObject({
      'Multiple choice': 'In progress', Checkboxes: 'Swimming, Skiing', Dropdown: 'Hard', 'File upload': 'Tally_Icon.png',
      Score: '20', Rating: '4',
    });
    expect(Object.keys(s.extra)).not.toContain('Checkboxes (Soccer)');
    expect(Object.keys(s.extra)).not.toContain('Matrix');
  });

  it('acknowledges an event that is not a form response', () => {
    expect(parseTally(JSON.stringify({ eventId: 'e', eventType: 'FORM_UPDATED', data: {} }), JSON_TYPE).isTest).toBe(true);
  });
});

describe('Jotform adapter (§11)', () => {
  it('reads a multipart/form-data delivery: answers from rawRequest, q<n>_ prefixes dropped, name and phone objects', () => {
    const s = parseJotform(fixture('jotform.multipart.txt'), 'multipart/form-data', MULTIPART);
    expect(s).toMatchObject({
      externalId: '5791234567890123456',
      contact: { fullName: 'Olena Shevchenko', phone: '+380 67 123 4567', email: 'olena@example.com' },
      message: 'Please call me about pricing',
      formReference: 'Contact Us',
    });
    expect(s.extra).toEqual({ howDid: 'Instagram' });
  });
});

describe('HubSpot workflow webhooks (§11)', () => {
  it('reads the contact record as HubSpot documents it ({properties: {name: {value}}}), leaving bookkeeping out', () => {
    const s = parseHubspot(fixture('hubspot-contact.json'), JSON_TYPE);
    expect(s).toMatchObject({
      contact: { fullName: 'HubSpot Test', phone: '555-122-2323', email: 'testingapis@hubspot.com' },
      company: 'HubSpot', position: 'Developer', formReference: 'HubSpot record 3234574',
    });
    expect(s.extra).toEqual({ lead_source: 'DiscoverOrg', city: 'Cambridge', state: 'MA' });
  });

  it('reads a custom request body of chosen properties', () => {
    const s = parseHubspot(fixture('hubspot-custom.json'), JSON_TYPE);
    expect(s).toMatchObject({
      contact: { fullName: 'Olena Koval', phone: '+380671234567', email: 'olena.koval@example.com' },
      company: 'Koval Logistics', position: 'COO', message: 'We need a CRM for 12 managers', utm: { source: 'google' },
    });
  });
});

describe('generic adapter: the nested shapes real senders use (§11)', () => {
  it('a Google Apps Script\'s namedValues, each answer an array of strings, labels in Ukrainian', () => {
    const s = parseGeneric(fixture('google-apps-script.json'), JSON_TYPE);
    expect(s).toMatchObject({
      contact: { fullName: 'Марія Коваль', phone: '+380 50 123 45 67', email: 'maria.koval@example.com' },
      message: 'Цікавить тариф для 5 менеджерів',
    });
    // The sheet's Timestamp column is the delivery's, not an answer.
    expect(s.extra).toEqual({});
  });

  it('an array of {label|name, value} pairs with a phone as a JSON number, labels in Russian, UTM inside data', () => {
    const s = parseGeneric(fixture('generic-fields.json'), JSON_TYPE);
    expect(s).toMatchObject({
      contact: { fullName: 'Сергей', phone: '+380661112233', email: 'sergey@example.com' },
      company: 'Vector', formReference: 'Landing B', utm: { source: 'facebook' },
    });
  });

  it('a data object, and urlencoded and multipart bodies of flat fields', () => {
    expect(parseGeneric(JSON.stringify({ data: { name: 'Ann', email: 'ann@example.com' } }), JSON_TYPE).contact)
      .toEqual({ fullName: 'Ann', phone: null, email: 'ann@example.com' });
    const multipart = '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nBo\r\n--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nbo@example.com\r\n'
      + '--b\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\n';
    expect(parseGeneric(multipart, 'multipart/form-data', 'multipart/form-data; boundary=b').contact)
      .toEqual({ fullName: 'Bo', phone: null, email: 'bo@example.com' });
  });
});
