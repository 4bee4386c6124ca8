import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import sanitizeHtml from 'sanitize-html';
import { ValidationError } from '../errors.js';
import { TEXT_LIMIT } from './lead.constants.js';

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
 * Free text for storage (§2): tags stripped (their text kept), entities
 * decoded, whitespace trimmed, capped at `limit` characters. Empty → null.
 */
export function sanitizeText(raw: string | null | undefined, limit: number = TEXT_LIMIT): string | null {
  if (raw === null || raw === undefined) return null;
  const stripped = sanitizeHtml(String(raw), { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' });
  // sanitize-html leaves entities encoded; we store plain text and escape at the edges.
  const text = decodeEntities(stripped).trim();
  if (!text) return null;
  return [...text].slice(0, limit).join('');
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&nbsp;': ' ' };
function decodeEntities(s: string): string {
  return s.replace(/&(?:amp|lt|gt|quot|nbsp|#39|#x27);/g, (m) => ENTITIES[m] ?? m);
}
