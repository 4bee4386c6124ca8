import { UnsupportedMediaTypeError } from '../errors.js';

/** §11: the largest body a form webhook accepts, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** §11: the only body formats a form webhook reads (multipart: Jotform; its text fields only). */
export const ACCEPTED_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'] as const;
export type MediaType = (typeof ACCEPTED_MEDIA_TYPES)[number];

export interface UtmTags {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  content: string | null;
  term: string | null;
}

/**
 * One form submission as every adapter returns it, whatever the builder.
 * Values are the sender's text, trimmed but not yet normalised: phone and
 * email are validated when the lead is created.
 */
export interface NormalizedSubmission {
  /** The provider's own id of this submission (Tilda tranid, Typeform token…). */
  externalId: string | null;
  /** A connection check ("test" ping): acknowledge, create nothing. */
  isTest: boolean;
  contact: { fullName: string | null; phone: string | null; email: string | null };
  message: string | null;
  company: string | null;
  position: string | null;
  utm: UtmTags;
  /** Which form (or page) the submission came from, for attribution. */
  formReference: string | null;
  /** Every other answer, by field name, so nothing the person wrote is dropped. */
  extra: Record<string, string>;
}

/**
 * Turns a raw body into a NormalizedSubmission; contentType is the whole
 * header (a multipart body needs its boundary). Throws UnprocessableError
 * when the body cannot be read, UnsupportedMediaTypeError for a format the
 * provider never sends.
 */
export type FormAdapter = (rawBody: string, mediaType: MediaType, contentType?: string) => NormalizedSubmission;

/**
 * The media type of a Content-Type header ("application/json; charset=utf-8"
 * → "application/json"). Throws UnsupportedMediaTypeError for anything but
 * JSON, urlencoded and multipart/form-data (§11, HTTP 415).
 */
export function mediaTypeOf(contentType: string | null | undefined): MediaType {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const accepted = ACCEPTED_MEDIA_TYPES.find((t) => t === type);
  if (!accepted) throw new UnsupportedMediaTypeError(contentType ?? '');
  return accepted;
}

export const emptyUtm = (): UtmTags => ({ source: null, medium: null, campaign: null, content: null, term: null });
