import { UnprocessableError, UnsupportedMediaTypeError } from '../../errors.js';
import { isRecord, isUtmKey, parseBody, textOf, utmFromFields, type BodyRecord } from '../intake.body.js';
import { pickFields, type FieldEntry } from '../intake.fields.js';
import { answerText } from '../intake.shapes.js';
import type { FormAdapter } from '../intake.types.js';

/**
 * Tally (§11): JSON `{eventId, eventType: "FORM_RESPONSE", data: {responseId,
 * formId, formName, fields: [{key, label, type, value, options?}]}}` (Tally's
 * "Example webhook event"). Email and phone come from the field types
 * INPUT_EMAIL and INPUT_PHONE_NUMBER, the rest by label; choice answers
 * (option ids) are turned into their texts; hidden fields named utm_* are
 * the UTM. The submission id is data.responseId. Another event type is
 * acknowledged without a lead. Signed with Tally-Signature.
 */
export const parseTally: FormAdapter = (rawBody, mediaType) => {
  if (mediaType !== 'application/json') throw new UnsupportedMediaTypeError(mediaType);
  const body = parseBody(rawBody, mediaType);
  const data = isRecord(body.data) ? body.data : null;
  const isResponse = textOf(body.eventType) === 'FORM_RESPONSE';
  if (isResponse && !data) throw new UnprocessableError('Tally FORM_RESPONSE without data');
  let email: string | null = null;
  let phone: string | null = null;
  const entries: FieldEntry[] = [];
  const hidden: Record<string, string> = {};
  for (const field of (Array.isArray(data?.fields) ? data.fields : []).filter(isRecord)) {
    const label = textOf(field.label) ?? textOf(field.key) ?? 'answer';
    const type = textOf(field.type);
    const value = valueOf(field, label);
    if (value === null) continue;
    if (type === 'HIDDEN_FIELDS' && isUtmKey(label)) hidden[label] = value;
    else if (type === 'INPUT_EMAIL' && email === null) email = value;
    else if (type === 'INPUT_PHONE_NUMBER' && phone === null) phone = value;
    // One row per checkbox option repeats the group's answer as true/false.
    else if (type === 'CHECKBOXES' && typeof field.value === 'boolean') continue;
    else entries.push([label, value]);
  }
  const picked = pickFields(entries);
  return {
    externalId: textOf(data?.responseId) ?? textOf(data?.submissionId) ?? textOf(body.eventId),
    isTest: !isResponse,
    contact: { fullName: picked.fullName, phone: phone ?? picked.phone, email: email ?? picked.email },
    message: picked.message,
    company: picked.company,
    position: picked.position,
    utm: utmFromFields(hidden),
    formReference: textOf(data?.formName) ?? textOf(data?.formId),
    extra: picked.extra,
  };
};

/** A field's answer as text: option ids become their texts; files their names. */
function valueOf(field: BodyRecord, label: string): string | null {
  const options = Array.isArray(field.options) ? field.options.filter(isRecord) : [];
  const value = field.value;
  if (Array.isArray(value)) {
    const texts = value.map((v) => {
      if (isRecord(v)) return textOf(v.name) ?? textOf(v.url);
      const option = options.find((o) => textOf(o.id) === textOf(v));
      return option ? textOf(option.text) : textOf(v);
    }).filter((t): t is string => t !== null);
    return texts.length ? texts.join(', ') : null;
  }
  // Matrix answers and the like are not lead fields; keep them out rather than print [object Object].
  if (isRecord(value)) return null;
  return answerText(label, value);
}
