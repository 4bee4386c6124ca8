import { describe, expect, it } from 'vitest';
import { parseGeneric } from '../../../core/intake/adapters/generic.adapter.js';
import { parseTilda, utmFromTildaCookies } from '../../../core/intake/adapters/tilda.adapter.js';
import { parseTypeform } from '../../../core/intake/adapters/typeform.adapter.js';
import { mediaTypeOf } from '../../../core/intake/intake.types.js';
import { readFixtureText } from '../../support/fixtures.js';

// The shared fixtures sit beside the repository (../shared from its root), byte for byte.
const fixture = readFixtureText;
const FORM = 'application/x-www-form-urlencoded' as const;
const JSON_TYPE = 'application/json' as const;

describe('Tilda adapter', () => {
  it('reads name, phone, email, comment, tranid and formid from the fixture', () => {
    const s = parseTilda(fixture('tilda.txt'), FORM);
    expect(s).toMatchObject({
      externalId: '1111111:6161583731',
      isTest: false,
      contact: { fullName: 'Иван Петров', phone: '+7 (999) 123-45-67', email: 'ivan@example.com' },
      message: 'Хочу демо CRM',
      formReference: 'form123456789',
    });
    expect(s.extra).toEqual({});
  });

  it('takes hidden utm_* fields and fills content and term from the TILDAUTM cookie', () => {
    expect(parseTilda(fixture('tilda.txt'), FORM).utm).toEqual({
      source: 'yandex', medium: 'cpc', campaign: 'autumn_sale', content: 'ad1', term: 'crm',
    });
  });

  it('lets a hidden utm field win over the cookie', () => {
    const cookie = encodeURIComponent('TILDAUTM=' + encodeURIComponent('utm_source=cookie|||utm_term=t'));
    const s = parseTilda(`Email=a%40b.co&utm_source=field&COOKIES=${cookie}`, FORM);
    expect(s.utm).toMatchObject({ source: 'field', term: 't' });
  });

  it('recognises the test=test handshake', () => {
    expect(parseTilda(fixture('tilda-test.txt'), FORM).isTest).toBe(true);
  });

  it('accepts JSON and renamed fields, matched case-insensitively', () => {
    const s = parseTilda(JSON.stringify({ 'Ваше_имя': 'Олег', PHONE: '+380501234567', tranid: 't1', formid: 'f1', Budget: '10k' }), JSON_TYPE);
    expect(s.contact).toEqual({ fullName: 'Олег', phone: '+380501234567', email: null });
    expect(s.extra).toEqual({ Budget: '10k' });
  });

  it('keeps a cookie string without TILDAUTM from adding tags', () => {
    expect(utmFromTildaCookies('_ga=1; other=2')).toEqual({ source: null, medium: null, campaign: null, content: null, term: null });
  });
});

describe('Typeform adapter', () => {
  it('joins the lead form answers to their fields: name, email, phone, choice, hidden UTM', () => {
    const s = parseTypeform(fixture('typeform-lead.json'), JSON_TYPE);
    expect(s).toMatchObject({
      externalId: '9f2c0d5e1a7b4c3d8e6f0a1b2c3d4e5f',
      isTest: false,
      contact: { fullName: 'Maria Lopez', phone: '+14155550123', email: 'maria@example.com' },
      formReference: 'AbC123xY',
      utm: { source: 'google', medium: 'cpc', campaign: 'spring', content: null, term: null },
      extra: { 'Plan?': 'Business' },
    });
  });

  it("reads Typeform's own example: name by question title, the long answer as the message", () => {
    const s = parseTypeform(fixture('typeform.json'), JSON_TYPE);
    expect(s.contact).toEqual({ fullName: 'Laura', phone: null, email: 'laura@example.com' });
    expect(s.message).toMatch(/^It's cold right now!/);
    expect(s.formReference).toBe('lT4Z3j');
    expect(s.extra).toMatchObject({ user_id: 'abc123456', 'Which of these cities is your favorite?': 'London' });
  });

  // The shape of Typeform's "Send test request": see typeform.adapter.ts for where it comes from.
  const testDelivery = (over: { token?: string; hidden?: Record<string, string> } = {}) => JSON.stringify({
    event_id: '01DJDG5S6JTG0D4VGB3Y3K3X2M', event_type: 'form_response',
    form_response: {
      form_id: 'cJKPNZ', token: over.token ?? '01DJDG5S6JTG0D4VGB3Y3K3X2M',
      landed_at: '2019-08-16T15:19:14Z', submitted_at: '2019-08-16T15:19:14Z', ...(over.hidden ? { hidden: over.hidden } : {}),
      definition: { id: 'cJKPNZ', title: 'Lead form', fields: [
        { id: 'RWtYIE4ZZ9nJ', title: 'Full name', type: 'short_text', ref: 'name' },
        { id: 'yXz5sq71BEW9', title: 'Email', type: 'email', ref: 'email' },
      ] },
      answers: [
        { type: 'text', text: 'Lorem ipsum dolor', field: { id: 'RWtYIE4ZZ9nJ', type: 'short_text', ref: 'name' } },
        { type: 'email', email: 'an_account@example.com', field: { id: 'yXz5sq71BEW9', type: 'email', ref: 'email' } },
      ],
    },
  });

  it('recognises a "Send test request" delivery: its token repeats the event id', () => {
    expect(parseTypeform(testDelivery(), JSON_TYPE).isTest).toBe(true);
  });

  it('recognises a test delivery by its placeholder hidden values too', () => {
    expect(parseTypeform(testDelivery({ token: 'x71for1wr6irs2rx71fotn12b3izh25v', hidden: { utm_source: 'hidden_value', ref: 'hidden_value' } }), JSON_TYPE).isTest).toBe(true);
    expect(parseTypeform(testDelivery({ token: 'x71for1wr6irs2rx71fotn12b3izh25v', hidden: { utm_source: 'hidden_value', ref: 'ads' } }), JSON_TYPE).isTest).toBe(false);
  });

  it.each(['typeform.json', 'typeform-lead.json'])('takes a real response (%s) for one', (file) => {
    expect(parseTypeform(fixture(file), JSON_TYPE).isTest).toBe(false);
  });

  it('falls back to event_id when there is no token', () => {
    const body = JSON.stringify({ event_id: 'ev1', form_response: { form_id: 'f', answers: [] } });
    expect(parseTypeform(body, JSON_TYPE).externalId).toBe('ev1');
  });

  it('refuses a NUL in a hidden field name instead of carrying it into the lead', () => {
    const body = JSON.stringify({ form_response: { token: 't', hidden: { 'ref\u0000': 'x' }, answers: [] } });
    expect(() => parseTypeform(body, JSON_TYPE)).toThrow(expect.objectContaining({ code: 'UNPROCESSABLE', message: expect.stringMatching(/NUL/) }));
  });

  it('refuses a payload without form_response, and urlencoded bodies', () => {
    expect(() => parseTypeform('{"event_id":"x"}', JSON_TYPE)).toThrow(expect.objectContaining({ code: 'UNPROCESSABLE' }));
    expect(() => parseTypeform('a=b', FORM)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }));
  });
});

describe('generic adapter', () => {
  it('maps the generic fixture: contact, message, utm object, external id, custom company', () => {
    const s = parseGeneric(fixture('generic.json'), JSON_TYPE);
    expect(s).toMatchObject({
      externalId: 'ext-000123',
      contact: { fullName: 'Jane Doe', phone: '+15550100199', email: 'jane@example.com' },
      message: 'Please call me',
      company: 'ACME',
      utm: { source: 'google', medium: 'cpc', campaign: 'spring', content: 'ad-a', term: 'crm bot' },
      formReference: 'landing-spring-2026',
      extra: { budget: '5-10k', page_url: 'https://example.com/landing?utm_source=google' },
    });
  });

  it.each([
    ['Russian', { 'ФИО': 'Иван', 'Телефон': '+79991234567', 'Почта': 'i@x.ru', 'Сообщение': 'Привет' }],
    ['Ukrainian', { "Ім'я": 'Іван', 'телефон': '+79991234567', 'пошта': 'i@x.ru', 'Повідомлення': 'Привет' }],
    ['English, odd case', { FULL_NAME: 'Иван', Tel: '+79991234567', 'E-mail': 'i@x.ru', Comments: 'Привет' }],
  ])('recognises %s field names', (_lang, body) => {
    const s = parseGeneric(JSON.stringify(body), JSON_TYPE);
    expect(s.contact).toEqual({ fullName: expect.stringMatching(/^І|Иван/), phone: '+79991234567', email: 'i@x.ru' });
    expect(s.message).toBe('Привет');
  });

  it('reads urlencoded bodies with utm_* fields and joins first and last name', () => {
    const s = parseGeneric('first_name=Ann&last_name=Lee&email=ann%40x.io&utm_source=fb&page_url=https%3A%2F%2Fx.io', FORM);
    expect(s).toMatchObject({ contact: { fullName: 'Ann Lee', email: 'ann@x.io' }, utm: { source: 'fb' }, formReference: 'https://x.io' });
  });

  it('does not take "Company name" for the person\'s name', () => {
    const s = parseGeneric(JSON.stringify({ 'Company name': 'ACME', 'Your name': 'Bo', email: 'b@x.io' }), JSON_TYPE);
    expect(s).toMatchObject({ company: 'ACME', contact: { fullName: 'Bo' } });
  });

  it('recognises a test ping and rejects garbage JSON', () => {
    expect(parseGeneric('{"test": true}', JSON_TYPE).isTest).toBe(true);
    expect(() => parseGeneric('{nope', JSON_TYPE)).toThrow(expect.objectContaining({ code: 'UNPROCESSABLE' }));
    expect(() => parseGeneric('[1,2]', JSON_TYPE)).toThrow(expect.objectContaining({ code: 'UNPROCESSABLE' }));
  });
});

describe('content types', () => {
  it('accepts JSON and urlencoded with parameters, refuses the rest', () => {
    expect(mediaTypeOf('application/json; charset=utf-8')).toBe('application/json');
    expect(mediaTypeOf('Application/X-WWW-Form-Urlencoded;charset=UTF-8')).toBe(FORM);
    expect(() => mediaTypeOf('text/plain')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }));
    expect(() => mediaTypeOf(undefined)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }));
  });
});
