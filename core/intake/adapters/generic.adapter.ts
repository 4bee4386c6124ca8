import {
  entryIgnoringCase, isRecord, mergeUtm, parseBody, textOf, utmFromFields, utmFromObject,
  type BodyRecord,
} from '../intake.body.js';
import { pickFields } from '../intake.fields.js';
import { ANSWER_CONTAINERS, collectAnswers } from '../intake.shapes.js';
import type { FormAdapter } from '../intake.types.js';

const EXTERNAL_ID_KEYS = ['external_id', 'externalId', 'submission_id'];
/** The form's own name or id; the page URL is the fallback reference. */
const FORM_REFERENCE_KEYS = ['form_reference', 'form_id', 'form', 'form_name', 'source'];
// Not 'url': forms often ask for the person's website under that name.
const PAGE_URL_KEYS = ['page_url', 'pageUrl', 'page', 'referer', 'referrer'];
// Envelope fields: metadata of the delivery, not something the person wrote.
const ENVELOPE_KEYS = [...EXTERNAL_ID_KEYS, ...FORM_REFERENCE_KEYS, ...PAGE_URL_KEYS,
  'test', 'utm', 'custom', 'submitted_at', 'created_at', 'timestamp'];
const ENVELOPE = new Set(ENVELOPE_KEYS.map((k) => k.toLowerCase()));

/**
 * Our generic format (§11), JSON, urlencoded or multipart: fields named
 * like name/phone/email/message in English, Ukrainian or Russian
 * (intake.fields), flat or in the nested shapes senders use (a `data` /
 * `fields` / `answers` object or an array of {name|label|key, value} pairs,
 * answers as arrays of strings as a Google Apps Script sends them, phones
 * as JSON numbers — intake.shapes), UTM as a `utm` object or utm_* fields
 * (also inside such a container), `external_id` as the submission id,
 * `page_url`, and `custom` answers (company/position are picked from there
 * too). `"test": true` is a connection check.
 */
export const parseGeneric: FormAdapter = (rawBody, mediaType, contentType) => {
  const record = parseBody(rawBody, mediaType, contentType);
  const custom = entryIgnoringCase(record, 'custom')?.[1];
  const picked = pickFields([...collectAnswers(record, ENVELOPE), ...(isRecord(custom) ? collectAnswers(custom) : [])]);
  const nested = ANSWER_CONTAINERS.map((k) => record[k]).filter(isRecord);
  const formReference = firstText(record, FORM_REFERENCE_KEYS);
  const pageUrl = firstText(record, PAGE_URL_KEYS);
  const extra = { ...picked.extra };
  // The page stays visible when the form's own name is the reference.
  if (pageUrl && formReference) extra.page_url = pageUrl;
  return {
    externalId: firstText(record, EXTERNAL_ID_KEYS),
    isTest: ['true', 'test', '1'].includes(textOf(entryIgnoringCase(record, 'test')?.[1])?.toLowerCase() ?? ''),
    contact: { fullName: picked.fullName, phone: picked.phone, email: picked.email },
    message: picked.message,
    company: picked.company,
    position: picked.position,
    utm: mergeUtm(utmFromObject(entryIgnoringCase(record, 'utm')?.[1]), utmFromFields(record), ...nested.map(utmFromFields)),
    formReference: formReference ?? pageUrl,
    extra,
  };
};

function firstText(record: BodyRecord, keys: readonly string[]): string | null {
  for (const key of keys) {
    const text = textOf(entryIgnoringCase(record, key)?.[1]);
    if (text !== null) return text;
  }
  return null;
}
