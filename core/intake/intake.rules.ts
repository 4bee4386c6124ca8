import type { FormSource } from '../database.js';
import { UnprocessableError, ValidationError } from '../errors.js';
import { isUsablePhoneText } from '../leads/lead.sanitize.js';
import { normalizeEmail, normalizePhone } from '../leads/lead.sanitize.js';
import type { LeadInput } from '../leads/lead.service.js';
import type { NormalizedSubmission } from './intake.types.js';

/**
 * The lead a submission describes (§2, §11), with its contact validated
 * first so a half-broken form still becomes a lead:
 * - a phone the parser cannot read (no country code and no defaultCountry,
 *   a digit short) is kept as typed in phoneUnverified, shown on the card
 *   as unverified; with ≥ 5 digits it is the lead's contact on its own;
 * - a malformed email next to another contact keeps the lead; the bad text
 *   goes into the intent so a manager sees what the person typed;
 * - no valid phone, no valid email and no phone text with ≥ 5 digits →
 *   UnprocessableError (HTTP 422).
 * Duplicates (§4) are found by the normalised phone and email only.
 * The intent is the message, then that note, then every extra answer as
 * "question: answer" lines (createLead caps it at 1024 characters).
 */
export function leadInputFor(
  source: FormSource, submission: NormalizedSubmission, opts: { defaultCountry?: string } = {},
): LeadInput {
  const phone = attempt(() => normalizePhone(submission.contact.phone, opts.defaultCountry));
  const email = attempt(() => normalizeEmail(submission.contact.email));
  const phoneUnverified = phone.failed ? submission.contact.phone : null;
  if (!phone.value && !email.value && !isUsablePhoneText(phoneUnverified)) throw noContact(phone.failed, email.failed);
  const note = email.failed ? `Email as submitted (not a valid address): ${submission.contact.email}` : null;
  const answers = Object.entries(submission.extra).map(([question, answer]) => `${question}: ${answer}`);
  const intent = [submission.message, note, answers.join('\n')].filter(Boolean).join('\n\n');
  return {
    source: source.lead_source,
    fullName: submission.contact.fullName,
    phone: phone.value,
    phoneUnverified,
    email: email.value,
    company: submission.company,
    position: submission.position,
    intent: intent || null,
    utm: submission.utm,
    formSourceId: source.id,
    formReference: submission.formReference,
    actorUserId: null,
  };
}

/**
 * Refuses, as leadInputFor would, a submission without a contact a lead
 * can keep (UnprocessableError, HTTP 422) — at the webhook, before it is
 * journaled, at a fraction of the cost: phone text with ≥ 5 digits or a
 * valid email settles it without parsing the phone (that parse is most of
 * reading a submission), since leadInputFor accepts those either way.
 */
export function assertUsableContact(submission: NormalizedSubmission, opts: { defaultCountry?: string } = {}): void {
  if (isUsablePhoneText(submission.contact.phone)) return;
  const email = attempt(() => normalizeEmail(submission.contact.email));
  if (email.value) return;
  const phone = attempt(() => normalizePhone(submission.contact.phone, opts.defaultCountry));
  if (!phone.value) throw noContact(phone.failed, email.failed);
}

function noContact(phoneFailed: boolean, emailFailed: boolean): UnprocessableError {
  const bad = [phoneFailed && 'phone', emailFailed && 'email'].filter(Boolean).join(' and ');
  return new UnprocessableError(bad
    ? `The submission's ${bad} cannot be used and there is no other contact`
    : 'The submission has neither a phone nor an email');
}

/**
 * What a repeat inquiry records on the existing lead (§4): a one-line
 * summary for the history and the notification, and the submission's
 * contents (as validated) in the history details.
 */
export function repeatInquiryFor(source: FormSource, submission: NormalizedSubmission, input: LeadInput) {
  const summary = `Repeat inquiry via ${source.name}${submission.message ? `: ${submission.message}` : ''}`;
  return {
    formSourceId: source.id,
    summary,
    details: {
      form_source: source.name,
      provider: source.provider,
      external_id: submission.externalId,
      form_reference: submission.formReference,
      full_name: input.fullName ?? null,
      phone: input.phone ?? null,
      phone_unverified: input.phoneUnverified ?? null,
      email: input.email ?? null,
      intent: input.intent ?? null,
      utm: Object.fromEntries(Object.entries(submission.utm).filter(([, v]) => v !== null)),
    },
  };
}

function attempt(normalize: () => string | null): { value: string | null; failed: boolean } {
  try {
    return { value: normalize(), failed: false };
  } catch (err) {
    if (err instanceof ValidationError) return { value: null, failed: true };
    throw err;
  }
}
