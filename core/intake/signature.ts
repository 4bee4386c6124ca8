import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Typeform's signature of a body (§11): `sha256=` + base64 of
 * HMAC-SHA256(secret, raw body bytes). The body must be the exact bytes
 * received; any re-serialisation changes it.
 */
export function typeformSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('base64')}`;
}

/** True when `header` (the Typeform-Signature value) signs rawBody with secret. */
export function verifyTypeformSignature(secret: string, rawBody: string, header: string | null | undefined): boolean {
  if (!header) return false;
  return constantTimeEqual(typeformSignature(secret, rawBody), header.trim());
}

/**
 * Shared-secret check for builders that sign nothing (Tilda, generic §11):
 * true when `provided` equals `expected`. Empty or missing never matches.
 */
export function secretMatches(expected: string, provided: string | null | undefined): boolean {
  if (!provided || !expected) return false;
  return constantTimeEqual(expected, provided);
}

// timingSafeEqual needs equal lengths; comparing digests keeps the time (and
// so the secret's length) independent of the guess.
function constantTimeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
