import { UnprocessableError } from '../../errors.js';
import { isRecord, mergeUtm, parseBody, textOf, utmFromFields, type BodyRecord } from '../intake.body.js';
import { pickFields, type FieldEntry } from '../intake.fields.js';
import { answerText } from '../intake.shapes.js';
import type { FormAdapter } from '../intake.types.js';

// Jotform's own fields inside rawRequest: tracking and routing, never answers.
const SYSTEM_KEYS = new Set(['slug', 'jsexecutiontracker', 'submitsource', 'submitdate', 'builddate', 'uploadserverurl',
  'eventobserver', 'event_id', 'timetosubmit', 'path', 'validatednewrequiredfieldids', 'visitedpages', 'formid',
  'website', 'temp_upload', 'file_server', 'preview', 'simple_spc']);

/**
 * Jotform (§11): a multipart/form-data (or urlencoded) POST with
 * formID, submissionID, formTitle, pretty ("Label:value, …") and
 * rawRequest — the answers as JSON, keyed `q<n>_<fieldName>` (Jotform's
 * webhook documentation and its PHP samples read `$_REQUEST['rawRequest']`).
 * Names come as {first, last}, phones as {full} or {area, phone}. The
 * field name after the `q<n>_` prefix is matched by intake.fields. The
 * submission id is submissionID; the reference is the form's title (or id).
 * Jotform signs nothing: the URL carries the secret.
 */
export const parseJotform: FormAdapter = (rawBody, mediaType, contentType) => {
  const body = parseBody(rawBody, mediaType, contentType);
  const raw = textOf(body.rawRequest);
  let answers: BodyRecord = {};
  if (raw !== null) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isRecord(parsed)) answers = parsed;
    } catch {
      throw new UnprocessableError('Jotform rawRequest is not JSON');
    }
  }
  const entries: FieldEntry[] = [];
  for (const [key, value] of Object.entries(answers)) {
    if (SYSTEM_KEYS.has(key.toLowerCase())) continue;
    const name = key.replace(/^q\d+_/, '');
    const text = answerText(name, value);
    // The unprefixed name matches fields called e.g. q3_fullName3 or q4_email.
    if (text !== null) entries.push([name, text, [name.replace(/\d+$/, '').replace(/([a-z])([A-Z])/g, '$1 $2')]]);
  }
  if (!entries.length && raw === null) throw new UnprocessableError('Jotform submission without rawRequest');
  const picked = pickFields(entries);
  return {
    externalId: textOf(body.submissionID),
    isTest: false,
    contact: { fullName: picked.fullName, phone: picked.phone, email: picked.email },
    message: picked.message,
    company: picked.company,
    position: picked.position,
    utm: mergeUtm(utmFromFields(answers), utmFromFields(body)),
    formReference: textOf(body.formTitle) ?? textOf(body.formID),
    extra: picked.extra,
  };
};
