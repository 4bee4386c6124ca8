import { UnsupportedMediaTypeError } from '../../errors.js';
import { isRecord, isUtmKey, mergeUtm, parseBody, textOf, utmFromFields, type BodyRecord } from '../intake.body.js';
import { pickFields, type FieldEntry } from '../intake.fields.js';
import { answerText, collectAnswers } from '../intake.shapes.js';
import type { FormAdapter } from '../intake.types.js';

/** HubSpot's internal property names that intake.fields would not recognise, with the role they play. */
const HUBSPOT_PROPERTIES: Record<string, string> = {
  firstname: 'first name', lastname: 'last name', mobilephone: 'mobile phone', jobtitle: 'job title',
  hs_content_membership_email: 'email', message: 'message',
};
// Bookkeeping properties of every record, never something the person wrote.
const SKIP = /^(hs_|createdate|lastmodifieddate|lifecyclestage|num_|currentlyinworkflow|associatedcompanyid|ip_)/;

/**
 * HubSpot workflow webhooks (§11): the "Send a webhook" action posts JSON
 * in one of three shapes —
 * - the contact record as the contacts API returns it: `{vid, portal-id,
 *   properties: {firstname: {value}, email: {value}, …}}` (HubSpot's
 *   documented contact profile);
 * - a CRM v3 object `{id|objectId, properties: {email: "…", …}}`;
 * - the custom body the workflow author picked: flat `{email, firstname, …}`
 *   (or a custom action's `{object, fields|inputFields: {…}}`).
 * Internal names (firstname, jobtitle, mobilephone) are mapped; hs_*
 * bookkeeping is left out. HubSpot resends the same body on a retry, so the
 * payload hash dedupes it. Signed with X-HubSpot-Signature-v3.
 */
export const parseHubspot: FormAdapter = (rawBody, mediaType) => {
  if (mediaType !== 'application/json') throw new UnsupportedMediaTypeError(mediaType);
  const body = parseBody(rawBody, mediaType);
  const properties = isRecord(body.properties) ? body.properties
    : isRecord(body.inputFields) ? body.inputFields
      : isRecord(body.fields) ? body.fields : body;
  const entries: FieldEntry[] = [];
  const flat: BodyRecord = {};
  for (const [name, raw] of Object.entries(properties)) {
    if (SKIP.test(name)) continue;
    // The contacts API wraps each value as {value, versions}.
    const value = isRecord(raw) && 'value' in raw ? raw.value : raw;
    const label = HUBSPOT_PROPERTIES[name] ?? name;
    flat[name] = value;
    if (isUtmKey(name)) continue;
    const text = answerText(label, value);
    if (text !== null && !(isRecord(raw) && !('value' in raw))) entries.push([name, text, [label]]);
  }
  const picked = pickFields(entries.length ? entries : collectAnswers(properties));
  const objectId = textOf(body.vid) ?? textOf(body.objectId) ?? textOf(body.id)
    ?? (isRecord(body.object) ? textOf(body.object.objectId) : null);
  return {
    externalId: null,
    isTest: false,
    contact: { fullName: picked.fullName, phone: picked.phone, email: picked.email },
    message: picked.message,
    company: picked.company,
    position: picked.position,
    utm: mergeUtm(utmFromFields(flat)),
    formReference: objectId ? `HubSpot record ${objectId}` : 'HubSpot workflow',
    extra: picked.extra,
  };
};
