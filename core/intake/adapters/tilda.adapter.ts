import { entryIgnoringCase, isUtmKey, mergeUtm, parseBody, textOf, utmFromFields } from '../intake.body.js';
import { pickFields } from '../intake.fields.js';
import { emptyUtm, type FormAdapter, type UtmTags } from '../intake.types.js';

// Tilda's own fields: ids and tracking, never answers. formname stays an answer-like extra.
const SYSTEM_FIELDS = new Set(['tranid', 'formid', 'cookies', 'test']);

/**
 * Tilda (§11): urlencoded by default, JSON when the owner switches it on.
 * Field names (Name, Phone, Email…) are renameable per form, so they are
 * recognised by intake.fields. `tranid` is the submission id, `formid` the
 * form; `test=test` is the handshake Tilda sends when a webhook is connected.
 * UTM: hidden utm_* fields win over the TILDAUTM cookie, which fills the
 * tags the page did not pass as fields (often content and term).
 */
export const parseTilda: FormAdapter = (rawBody, mediaType) => {
  const record = parseBody(rawBody, mediaType);
  const field = (name: string) => textOf(entryIgnoringCase(record, name)?.[1]);
  const answers: [string, string][] = [];
  for (const [key, value] of Object.entries(record)) {
    const text = textOf(value);
    if (text !== null && !SYSTEM_FIELDS.has(key.toLowerCase()) && !isUtmKey(key)) answers.push([key, text]);
  }
  const picked = pickFields(answers);
  return {
    externalId: field('tranid'),
    isTest: field('test') === 'test',
    contact: { fullName: picked.fullName, phone: picked.phone, email: picked.email },
    message: picked.message,
    company: picked.company,
    position: picked.position,
    utm: mergeUtm(utmFromFields(record), utmFromTildaCookies(field('COOKIES'))),
    formReference: field('formid'),
    extra: picked.extra,
  };
};

/**
 * UTM tags from Tilda's COOKIES field: a cookie header string whose TILDAUTM
 * cookie is url-encoded `utm_source=x|||utm_medium=y|||…`.
 */
export function utmFromTildaCookies(cookies: string | null): UtmTags {
  const cookie = cookies?.split(';').map((c) => c.trim()).find((c) => /^TILDAUTM=/i.test(c));
  if (!cookie) return emptyUtm();
  const pairs: Record<string, string> = {};
  for (const pair of safeDecode(cookie.slice('TILDAUTM='.length)).split('|||')) {
    const eq = pair.indexOf('=');
    if (eq > 0) pairs[pair.slice(0, eq).trim()] = safeDecode(pair.slice(eq + 1));
  }
  return utmFromFields(pairs);
}

// A stray % in a cookie must not reject a lead: keep the text as it came.
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
