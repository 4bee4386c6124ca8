import type { FormSource } from '../database.js';
import { UnauthorizedError } from '../errors.js';
import { secretMatches, verifyTypeformSignature } from './signature.js';

/** What a delivery presents to prove it comes from the form builder. */
export interface DeliveryCredentials {
  /** Shared secret from the X-Webhook-Secret header or ?secret= (Tilda, generic). */
  providedSecret?: string | null;
  /** Typeform-Signature header value. */
  signature?: string | null;
}

/**
 * Authenticates a form webhook delivery (§11, §16). It is the first check:
 * a caller without the secret gets 401 and learns nothing about the content
 * types or the size the endpoint takes.
 * - Tilda and generic forms carry the source's shared secret: decided
 *   without the body (call before reading it).
 * - Typeform signs the body: without `rawBody` only the presence of the
 *   signature header is checked, so a missing one is refused before the
 *   body is read; with `rawBody` the HMAC is verified.
 * receiveSubmission calls it again with the body, so no path skips it.
 * Throws UnauthorizedError.
 */
export function authenticateSubmission(source: FormSource, credentials: DeliveryCredentials, rawBody?: string): void {
  if (source.provider !== 'typeform') {
    if (!secretMatches(source.secret, credentials.providedSecret)) throw new UnauthorizedError('Invalid secret');
    return;
  }
  if (!credentials.signature) throw new UnauthorizedError('Missing Typeform-Signature header');
  if (rawBody !== undefined && !verifyTypeformSignature(source.secret, rawBody, credentials.signature)) {
    throw new UnauthorizedError('Invalid signature');
  }
}
