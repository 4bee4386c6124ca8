import type { Db, FormProvider, FormSource } from '../database.js';
import { DuplicateLeadError, NotFoundError, UnprocessableError } from '../errors.js';
import { createLead, recordRepeatInquiry } from '../leads/lead.service.js';
import { inTransaction } from '../transaction.js';
import { parseGeneric } from './adapters/generic.adapter.js';
import { parseHubspot } from './adapters/hubspot.adapter.js';
import { parseJotform } from './adapters/jotform.adapter.js';
import { parseTally } from './adapters/tally.adapter.js';
import { parseTilda } from './adapters/tilda.adapter.js';
import { parseTypeform } from './adapters/typeform.adapter.js';
import { parseWebflow } from './adapters/webflow.adapter.js';
import { authenticateSubmission, type DeliveryCredentials } from './intake-auth.rules.js';
import { findEarlierSubmission, lockSubmission, payloadHashOf, recordSubmission } from './intake-submission.repository.js';
import { leadInputFor, repeatInquiryFor } from './intake.rules.js';
import { mediaTypeOf, type FormAdapter } from './intake.types.js';

export { authenticateSubmission, type DeliveryCredentials } from './intake-auth.rules.js';

const ADAPTERS: Record<FormProvider, FormAdapter> = {
  tilda: parseTilda,
  typeform: parseTypeform,
  generic: parseGeneric,
  webflow: parseWebflow,
  tally: parseTally,
  jotform: parseJotform,
  hubspot: parseHubspot,
};

export interface IncomingSubmission extends DeliveryCredentials {
  source: FormSource;
  /** The body exactly as received (signatures are computed over it). */
  rawBody: string;
  /** The Content-Type header, parameters included. */
  contentType: string;
}

/**
 * What became of a submission:
 * - created: a new lead;
 * - repeat: the contact is a live lead's — recorded on it as a repeat inquiry (§4);
 * - duplicate: a provider retry of a submission already processed; leadId is
 *   the lead it went to the first time;
 * - test: a provider's connection check, nothing stored.
 */
export type IntakeResult =
  | { status: 'created' | 'repeat' | 'duplicate'; leadId: number | null }
  | { status: 'test'; leadId?: undefined };

/**
 * Receives one form webhook delivery (§11, §4).
 * Authenticates first (authenticateSubmission: the provider's signature —
 * Typeform, Tally, Webflow, HubSpot — or the shared secret), then checks
 * the content type, reads the body
 * with the source's adapter, then — in ONE transaction — checks for a
 * provider retry (same provider id ever, or same body within 24 h),
 * creates the lead or records a repeat inquiry, and stores the raw body: a
 * success answer always means everything is committed.
 * Throws NotFoundError (disabled source), UnauthorizedError,
 * UnsupportedMediaTypeError, UnprocessableError (unreadable, no usable
 * contact); on any error nothing is written.
 */
export async function receiveSubmission(
  db: Db, incoming: IncomingSubmission, opts: { defaultCountry?: string; now?: Date } = {},
): Promise<IntakeResult> {
  const { source, rawBody, contentType } = incoming;
  if (!source.is_active) throw new NotFoundError('form_source', source.id);
  authenticateSubmission(source, incoming, rawBody, opts.now);
  const mediaType = mediaTypeOf(contentType);
  // PostgreSQL text cannot hold NUL; such a body cannot be kept, so it is refused.
  if (rawBody.includes('\u0000')) throw new UnprocessableError('Body contains NUL characters');
  const submission = ADAPTERS[source.provider](rawBody, mediaType, contentType);
  if (submission.isTest) return { status: 'test' };
  const input = leadInputFor(source, submission, opts);
  const key = { formSourceId: source.id, externalId: submission.externalId, payloadHash: payloadHashOf(rawBody) };

  return inTransaction(db, async (trx) => {
    await lockSubmission(trx, key);
    const earlier = await findEarlierSubmission(trx, key);
    if (earlier) return { status: 'duplicate', leadId: earlier.lead_id };
    let result: IntakeResult;
    try {
      const lead = await createLead(trx, input, opts);
      result = { status: 'created', leadId: lead.id };
    } catch (err) {
      if (!(err instanceof DuplicateLeadError)) throw err;
      await recordRepeatInquiry(trx, err.existingLeadId, repeatInquiryFor(source, submission, input))
        .catch((e: unknown) => {
          // The matching lead was deleted mid-flight: a 500 makes the provider
          // retry, and the retry creates a fresh lead. A 404 would disable the webhook.
          throw e instanceof NotFoundError ? new Error('Duplicate lead vanished during intake', { cause: e }) : e;
        });
      result = { status: 'repeat', leadId: err.existingLeadId };
    }
    await recordSubmission(trx, {
      ...key, contentType, rawBody, leadId: result.leadId!,
      outcome: result.status === 'created' ? 'created' : 'duplicate',
    });
    return result;
  });
}

