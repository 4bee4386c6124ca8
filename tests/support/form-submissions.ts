import { typeformSignature } from '../../core/intake/signature.js';
import { readFixtureText } from './fixtures.js';

/**
 * Form submissions as each builder sends them, made from the fixtures in
 * tests/fixtures/forms with one person's contact swapped in: a generic
 * JSON form, a Tilda urlencoded form (secret in the URL) and a signed
 * Typeform response. Each carries its own submission id, so none is taken
 * for a provider's retry of another.
 */

export interface FormPerson {
  name: string;
  email: string;
  phone: string;
  message: string;
  /** Makes the submission id unique. */
  seq: number;
}

export type FormProviderName = 'generic' | 'tilda' | 'typeform';

export interface Submission {
  body: string;
  headers: Record<string, string>;
  /** Appended to the webhook path (Tilda carries the secret in the URL). */
  query: string;
}

export function genericSubmission(p: FormPerson, secret: string): Submission {
  const form = JSON.parse(readFixtureText('generic.json')) as Record<string, any>;
  Object.assign(form, { external_id: `ext-day-${p.seq}`, name: p.name, phone: p.phone, email: p.email, message: p.message });
  return { body: JSON.stringify(form), headers: { 'content-type': 'application/json', 'x-webhook-secret': secret }, query: '' };
}

export function tildaSubmission(p: FormPerson, secret: string): Submission {
  const form = new URLSearchParams(readFixtureText('tilda.txt'));
  form.set('Name', p.name);
  form.set('Phone', p.phone);
  form.set('Email', p.email);
  form.set('Comments', p.message);
  form.set('tranid', `2222222:${7000000000 + p.seq}`);
  return {
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    query: `?secret=${encodeURIComponent(secret)}`,
  };
}

export function typeformSubmission(p: FormPerson, secret: string): Submission {
  const form = JSON.parse(readFixtureText('typeform-lead.json')) as Record<string, any>;
  // token ≠ event_id: equal ones are Typeform's test delivery.
  form.event_id = `01HZDAY${String(p.seq).padStart(19, '0')}`;
  form.form_response.token = `day${String(p.seq).padStart(29, '0')}`;
  for (const answer of form.form_response.answers as Record<string, any>[]) {
    if (answer.field.ref === 'name') answer.text = p.name;
    if (answer.field.ref === 'email') answer.email = p.email;
    if (answer.field.ref === 'phone') answer.phone_number = p.phone;
  }
  const body = JSON.stringify(form);
  return { body, headers: { 'content-type': 'application/json', 'typeform-signature': typeformSignature(secret, body) }, query: '' };
}

export const SUBMISSIONS: Record<FormProviderName, (p: FormPerson, secret: string) => Submission> = {
  generic: genericSubmission, tilda: tildaSubmission, typeform: typeformSubmission,
};
