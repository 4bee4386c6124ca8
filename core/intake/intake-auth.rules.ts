import type { FormSource } from '../database.js';
import { UnauthorizedError } from '../errors.js';
import {
  hubspotSignatureV3, secretMatches, signatureMatches, tallySignature, verifyTypeformSignature, webflowSignature,
} from './signature.js';

/** Webflow and HubSpot refuse a signed delivery older (or newer) than this (both document 5 minutes). */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

/** What a delivery presents to prove it comes from the form builder. */
export interface DeliveryCredentials {
  /** Shared secret from the X-Webhook-Secret header or ?secret= (Tilda, Jotform, generic; unsigned Webflow/HubSpot). */
  providedSecret?: string | null;
  /** Typeform-Signature header value. */
  signature?: string | null;
  /** The request's headers, lower-case names: Tally-Signature, x-webflow-*, X-HubSpot-* are read from here. */
  headers?: Record<string, string | undefined>;
  /** HubSpot signs the method and the URL it called. */
  method?: string;
  requestUrl?: string;
}

/**
 * Authenticates a form webhook delivery (§11, §16). It is the first check:
 * a caller without the secret gets 401 and learns nothing about the content
 * types or the size the endpoint takes.
 * - Tilda, Jotform and generic forms carry the source's shared secret
 *   (URL or header): decided without the body.
 * - Typeform and Tally sign the body with the secret we gave them
 *   (Typeform-Signature, Tally-Signature).
 * - Webflow and HubSpot sign with a key they issue (the source's
 *   signing_secret): x-webflow-signature over "timestamp:body",
 *   X-HubSpot-Signature-v3 over method + URL + body + timestamp; either
 *   timestamp must be within 5 minutes of `now`. Without a signing secret
 *   they take the shared secret, like generic forms.
 * Without `rawBody` only what needs no body is checked (a missing header, a
 * stale timestamp, the shared secret), so those are refused before the body
 * is read; receiveSubmission calls it again with the body, so no path skips
 * the signature. Throws UnauthorizedError.
 */
export function authenticateSubmission(
  source: FormSource, credentials: DeliveryCredentials, rawBody?: string, now: Date = new Date(),
): void {
  const header = (name: string) => credentials.headers?.[name] ?? null;
  switch (source.provider) {
    case 'typeform':
      if (!credentials.signature) throw new UnauthorizedError('Missing Typeform-Signature header');
      if (rawBody !== undefined && !verifyTypeformSignature(source.secret, rawBody, credentials.signature)) {
        throw new UnauthorizedError('Invalid signature');
      }
      return;
    case 'tally': {
      const signature = header('tally-signature');
      if (!signature) throw new UnauthorizedError('Missing Tally-Signature header');
      if (rawBody !== undefined && !signatureMatches(tallySignature(source.secret, rawBody), signature)) {
        throw new UnauthorizedError('Invalid signature');
      }
      return;
    }
    case 'webflow':
      if (!source.signing_secret) return sharedSecret(source, credentials);
      return signed(rawBody, now, {
        signature: header('x-webflow-signature'), timestamp: header('x-webflow-timestamp'), names: 'x-webflow-signature/x-webflow-timestamp',
        expected: (body, timestamp) => webflowSignature(source.signing_secret!, timestamp, body),
      });
    case 'hubspot':
      if (!source.signing_secret) return sharedSecret(source, credentials);
      return signed(rawBody, now, {
        signature: header('x-hubspot-signature-v3'), timestamp: header('x-hubspot-request-timestamp'),
        names: 'X-HubSpot-Signature-v3/X-HubSpot-Request-Timestamp',
        expected: (body, timestamp) => hubspotSignatureV3(source.signing_secret!, {
          method: credentials.method ?? 'POST', url: credentials.requestUrl ?? '', rawBody: body, timestamp,
        }),
      });
    default:
      return sharedSecret(source, credentials);
  }
}

function sharedSecret(source: FormSource, credentials: DeliveryCredentials): void {
  if (!secretMatches(source.secret, credentials.providedSecret)) throw new UnauthorizedError('Invalid secret');
}

/** A timestamped signature (Webflow, HubSpot): present, fresh, and — with the body — matching. */
function signed(rawBody: string | undefined, now: Date, p: {
  signature: string | null; timestamp: string | null; names: string; expected: (body: string, timestamp: string) => string;
}): void {
  if (!p.signature || !p.timestamp) throw new UnauthorizedError(`Missing ${p.names} headers`);
  const at = Number(p.timestamp);
  // A replayed delivery is refused however well it is signed.
  if (!/^\d{10,16}$/.test(p.timestamp) || Math.abs(now.getTime() - at) > SIGNATURE_WINDOW_MS) {
    throw new UnauthorizedError('Signature timestamp outside the 5-minute window');
  }
  if (rawBody !== undefined && !signatureMatches(p.expected(rawBody, p.timestamp), p.signature)) {
    throw new UnauthorizedError('Invalid signature');
  }
}
