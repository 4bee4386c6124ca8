import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import sanitizeHtml from 'sanitize-html';
import { ValidationError } from '../errors.js';
import { PHONE_TEXT_MIN_DIGITS, TEXT_LIMIT } from './lead.constants.js';

/**
 * Phone to E.164 (§2). Numbers without a country code need defaultCountry
 * (ISO 3166 alpha-2). Empty → null. Throws ValidationError('phone') when the
 * text cannot be a phone number.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountry?: string): string | null {
  const text = raw?.trim();
  if (!text) return null;
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode | undefined);
  // isPossible (length and shape) rather than isValid: numbering plans change
  // faster than the library, and refusing a real customer's number loses a lead.
  if (!parsed || !parsed.isPossible()) throw new ValidationError('phone', `not a phone number: ${text.slice(0, 40)}`);
  return parsed.number;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/;

/** Email trimmed and lower-cased (§2). Empty → null. Throws ValidationError('email'). */
export function normalizeEmail(raw: string | null | undefined): string | null {
  const text = raw?.trim().toLowerCase();
  if (!text) return null;
  if (text.length > 254 || !EMAIL.test(text)) throw new ValidationError('email', 'not an email address');
  return text;
}

/**
 * Free text for storage (§2): plain text with no tags whatever the encoding
 * (a tag written as `&lt;b&gt;` or `&amp;lt;b&amp;gt;` is removed like `<b>`,
 * its text kept; script and style contents dropped), entities decoded,
 * whitespace trimmed, capped at `limit` characters. `Tom & Jerry`, `1 < 2`
 * stay as typed: text is stored plain and escaped at the edges. Empty → null.
 */
export function sanitizeText(raw: string | null | undefined, limit: number = TEXT_LIMIT): string | null {
  if (raw === null || raw === undefined) return null;
  const text = stripUntilStable(String(raw)).replace(/\u00a0/g, ' ').trim();
  if (!text) return null;
  return [...text].slice(0, limit).join('');
}

// Each pass decodes one level of entities (sanitize-html's parser reads them)
// and drops the tags that appear. Stripping once and then decoding — the old
// order — turned `&lt;script&gt;` into a real tag in storage. Four passes
// cover triple encoding; anything still changing after that is an attack,
// and losing its angle brackets is the safe end.
const MAX_PASSES = 4;

function stripUntilStable(input: string): string {
  // Without <, > or & there is no tag or entity to strip or decode (the common case, and
  // a CSV import's thousands of rows): sanitize-html would give the text back unchanged.
  if (!/[<>&]/.test(input)) return input;
  let text = input;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = plainTextOf(text);
    if (next === text) return text;
    text = next;
  }
  return plainTextOf(text).replace(/[<>]/g, '');
}

const STRIP_ALL: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' };
const UNESCAPE: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/**
 * One sanitize-html pass, read back as plain text: its parser decodes every
 * entity and its output escapes exactly &, < and > again, so undoing those
 * three (in one sweep, so `&amp;lt;` stays `&lt;`) gives the decoded text.
 */
function plainTextOf(text: string): string {
  return sanitizeHtml(text, STRIP_ALL).replace(/&(?:amp|lt|gt);/g, (m) => UNESCAPE[m]!);
}

/**
 * True when phone text the parser could not read still has enough digits
 * (PHONE_TEXT_MIN_DIGITS) for a person to try calling (§11): then it counts
 * as the lead's contact. "call me" or "12-34" does not.
 */
export const isUsablePhoneText = (text: string | null | undefined): boolean =>
  (text?.match(/\d/g)?.length ?? 0) >= PHONE_TEXT_MIN_DIGITS;
