import { UnprocessableError } from '../errors.js';
import { emptyUtm, type MediaType, type UtmTags } from './intake.types.js';
import { multipartFields } from './multipart.js';

export type BodyRecord = Record<string, unknown>;

/**
 * Reads a JSON object, an urlencoded or a multipart/form-data body (its
 * text fields; contentType carries the boundary) into a plain record. A key
 * sent twice in a form keeps all its values, joined with ", " (checkbox groups).
 * Throws UnprocessableError for malformed JSON, JSON that is not an object,
 * and a field name (at any depth) holding U+0000.
 */
export function parseBody(rawBody: string, mediaType: MediaType, contentType = ''): BodyRecord {
  if (mediaType !== 'application/json') {
    const record: Record<string, string> = {};
    const pairs = mediaType === 'multipart/form-data' ? multipartFields(rawBody, contentType) : new URLSearchParams(rawBody);
    for (const [key, value] of pairs) {
      if (key.includes('\u0000')) throw nulInFieldName();
      record[key] = key in record ? `${record[key]}, ${value}` : value;
    }
    return record;
  }
  let parsed: unknown;
  try {
    // A UTF-8 byte-order mark is kept in the raw body (signatures cover it) but is not JSON.
    parsed = JSON.parse(rawBody.replace(/^\uFEFF/, ''));
  } catch {
    throw new UnprocessableError('Body is not valid JSON');
  }
  if (!isRecord(parsed)) throw new UnprocessableError('Body must be a JSON object');
  if (hasNulKey(parsed)) throw nulInFieldName();
  return parsed;
}

// Values lose their NULs in textOf, but names become question labels in the
// intent and keys in history jsonb, and PostgreSQL text/jsonb cannot hold
// U+0000: without this the insert fails with a 500 on every provider retry.
// Refused, not repaired: two names differing only by a NUL would collide.
const nulInFieldName = () => new UnprocessableError('A field name contains a NUL (U+0000) character');

function hasNulKey(value: unknown, depth = 0): boolean {
  // No adapter reads that deep; the cap keeps a 64 KB body of nested brackets from overflowing the stack.
  if (depth > 64 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => hasNulKey(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNulKey(v, depth + 1));
}

export function isRecord(value: unknown): value is BodyRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar (or list of scalars) as trimmed text; empty, objects and null → null. */
export function textOf(value: unknown): string | null {
  // NUL is legal in JSON strings but not in a PostgreSQL text column.
  if (typeof value === 'string') return value.replace(/\u0000/g, '').trim() || null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(textOf).filter((p): p is string => p !== null);
    return parts.length ? parts.join(', ') : null;
  }
  return null;
}

/** The entry of `record` whose key equals `name` ignoring case, if any. */
export function entryIgnoringCase(record: BodyRecord, name: string): [string, unknown] | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(record).find(([key]) => key.toLowerCase() === wanted);
}

const UTM_KEYS = ['source', 'medium', 'campaign', 'content', 'term'] as const;

/** True for utm_source … utm_term, in any case: they are attribution, not answers. */
export const isUtmKey = (key: string): boolean => /^utm_(source|medium|campaign|content|term)$/i.test(key.trim());

/** UTM tags from flat utm_* fields (any case). */
export function utmFromFields(record: BodyRecord): UtmTags {
  const utm = emptyUtm();
  for (const k of UTM_KEYS) utm[k] = textOf(entryIgnoringCase(record, `utm_${k}`)?.[1]);
  return utm;
}

/** UTM tags from an object keyed source/medium/… or utm_source/utm_medium/…. */
export function utmFromObject(value: unknown): UtmTags {
  const utm = emptyUtm();
  if (!isRecord(value)) return utm;
  for (const k of UTM_KEYS) {
    utm[k] = textOf(entryIgnoringCase(value, k)?.[1]) ?? textOf(entryIgnoringCase(value, `utm_${k}`)?.[1]);
  }
  return utm;
}

/** Field by field, the first set value wins. */
export function mergeUtm(...sources: UtmTags[]): UtmTags {
  const utm = emptyUtm();
  for (const k of UTM_KEYS) utm[k] = sources.map((s) => s[k]).find((v) => v !== null) ?? null;
  return utm;
}
