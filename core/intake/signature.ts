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

/** Tally's `Tally-Signature` (§11): base64 of HMAC-SHA256(signing secret, raw body). */
export function tallySignature(secret: string, rawBody: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('base64');
}

/**
 * Webflow's `x-webflow-signature` (§11): hex of HMAC-SHA256(secret,
 * `<x-webflow-timestamp>:<raw body>`), the timestamp in ms since the epoch.
 */
export function webflowSignature(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}:${rawBody}`, 'utf8').digest('hex');
}

// HubSpot signs the URI with these escapes decoded (its request-validation docs).
const HUBSPOT_DECODED: Record<string, string> = {
  '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')',
  '%2A': '*', '%2C': ',', '%3B': ';',
};

/**
 * HubSpot's `X-HubSpot-Signature-v3` (§11): base64 of HMAC-SHA256(app
 * client secret, method + URI + raw body + `X-HubSpot-Request-Timestamp`),
 * where URI is the full URL HubSpot called with %3A %2F %3F %40 %21 %24
 * %27 %28 %29 %2A %2C %3B decoded.
 */
export function hubspotSignatureV3(secret: string, p: { method: string; url: string; rawBody: string; timestamp: string }): string {
  const uri = p.url.split('#')[0]!.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => HUBSPOT_DECODED[m.toUpperCase()]!);
  return createHmac('sha256', secret).update(`${p.method.toUpperCase()}${uri}${p.rawBody}${p.timestamp}`, 'utf8').digest('base64');
}

/** Constant-time comparison of a computed signature with what a header carried. */
export const signatureMatches = (expected: string, given: string | null | undefined): boolean =>
  Boolean(given) && constantTimeEqual(expected, given!.trim());
