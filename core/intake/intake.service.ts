import type { Db, FormProvider, FormSource, IntakeSubmission } from '../database.js';
import { DuplicateLeadError, NotFoundError, UnprocessableError } from '../errors.js';
import { asServiceUnavailable } from '../service-unavailable.js';
import { createLead, recordRepeatInquiry, type LeadInput } from '../leads/lead.service.js';
import { parseGeneric } from './adapters/generic.adapter.js';
import { parseHubspot } from './adapters/hubspot.adapter.js';
import { parseJotform } from './adapters/jotform.adapter.js';
import { parseTally } from './adapters/tally.adapter.js';
import { parseTilda } from './adapters/tilda.adapter.js';
import { parseTypeform } from './adapters/typeform.adapter.js';
import { parseWebflow } from './adapters/webflow.adapter.js';
import { authenticateSubmission, type DeliveryCredentials } from './intake-auth.rules.js';
import { findEarlierHashTwin, journalSubmission, type JournalEntry } from './intake-journal.repository.js';
import { findEarlierSubmission, payloadHashOf } from './intake-submission.repository.js';
import { assertUsableContact, leadInputFor, repeatInquiryFor } from './intake.rules.js';
import { mediaTypeOf, type FormAdapter, type NormalizedSubmission } from './intake.types.js';

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
 * What the webhook answers (§11), once the submission is journaled:
 * - accepted: stored, to be processed (the lead, or a repeat inquiry §4,
 *   follows within moments: processJournaledSubmission);
 * - duplicate: a provider retry of a submission already accepted; leadId is
 *   the lead it went to, null while that one is still being processed;
 * - test: a provider's connection check, nothing stored.
 */
export type IntakeResult =
  | { status: 'accepted'; submissionId: number; leadId?: undefined }
  | { status: 'duplicate'; submissionId: number | null; leadId: number | null }
  | { status: 'test'; submissionId?: undefined; leadId?: undefined };

/** A submission read and validated: the adapter's reading and the lead it describes. */
export interface ReadSubmission { submission: NormalizedSubmission; input: LeadInput }

/**
 * Reads a body with the source's adapter and validates the lead it
 * describes (§11): the same reading at the webhook (to refuse with 415/422
 * before anything is stored) and in the worker (to create the lead).
 * Returns null for a provider's test ping. Throws
 * UnsupportedMediaTypeError, UnprocessableError.
 */
export function readSubmission(
  source: FormSource, rawBody: string, contentType: string, opts: { defaultCountry?: string } = {},
): ReadSubmission | null {
  const submission = parseSubmission(source, rawBody, contentType);
  return submission && { submission, input: leadInputFor(source, submission, opts) };
}

/** The source's adapter over the body; null for a test ping. Throws UnsupportedMediaTypeError, UnprocessableError. */
function parseSubmission(source: FormSource, rawBody: string, contentType: string): NormalizedSubmission | null {
  // PostgreSQL text cannot hold NUL; such a body cannot be kept, so it is refused.
  if (rawBody.includes('\u0000')) throw new UnprocessableError('Body contains NUL characters');
  const submission = ADAPTERS[source.provider](rawBody, mediaTypeOf(contentType), contentType);
  return submission.isTest ? null : submission;
}

/**
 * Receives one form webhook delivery (§11): accept, journal, then process.
 * Authenticates first (authenticateSubmission: the provider's signature —
 * Typeform, Tally, Webflow, HubSpot — or the shared secret), then checks
 * the content type, reads the body and checks it has a contact
 * (assertUsableContact: the worker's refusals, without building the lead), then
 * makes ONE durable write: the raw body, with its idempotency key, as a
 * pending submission (journalSubmission) — unless it is a provider retry
 * (same provider id ever, or same body within 24 h). A success answer
 * means it is committed: nothing accepted is lost; the worker
 * (intake-worker.service.ts) creates the lead.
 * Throws NotFoundError (disabled source), UnauthorizedError,
 * UnsupportedMediaTypeError, UnprocessableError; on any error nothing is written.
 */
export async function receiveSubmission(
  db: Db, incoming: IncomingSubmission,
  opts: {
    defaultCountry?: string; now?: Date; onHealthNotRecorded?: (err: unknown) => void;
    /** How the entry is written; default one statement of its own (a JournalWriter groups them under load). */
    journal?: (entry: JournalEntry) => Promise<number | null>;
  } = {},
): Promise<IntakeResult> {
  const { source, rawBody, contentType } = incoming;
  if (!source.is_active) throw new NotFoundError('form_source', source.id);
  authenticateSubmission(source, incoming, rawBody, opts.now);
  const submission = parseSubmission(source, rawBody, contentType);
  if (!submission) return { status: 'test' };
  // The same refusal the worker's leadInputFor would make, decided before anything is stored.
  assertUsableContact(submission, opts);
  const key = { formSourceId: source.id, externalId: submission.externalId, payloadHash: payloadHashOf(rawBody) };
  const journal = opts.journal ?? ((entry: JournalEntry) => journalSubmission(db, entry));
  let submissionId: number | null;
  try {
    submissionId = await journal({ ...key, contentType, rawBody });
  } catch (err) {
    // A database that is away or not answering in time would fail the second try too, after a second
    // timeout (the webhook's 503 twice as late): it hears the first. Anything else may be the health
    // part alone (bookkeeping): the delivery is journaled without it.
    if (asServiceUnavailable(err)) throw err;
    submissionId = await journalSubmission(db, { ...key, contentType, rawBody }, false);
    opts.onHealthNotRecorded?.(err);
  }
  if (submissionId !== null) return { status: 'accepted', submissionId };
  const earlier = await findEarlierSubmission(db, key);
  return { status: 'duplicate', submissionId: earlier?.id ?? null, leadId: earlier?.lead_id ?? null };
}

/** What processing a journaled submission made of it. */
export type ProcessedSubmission =
  | { status: 'created' | 'repeat'; leadId: number }
  | { status: 'retry'; leadId: number | null; duplicateOf: number };

/**
 * Turns a claimed submission into a lead (§4, §11), in the caller's
 * transaction: a provider retry journaled alongside its first delivery
 * (same body within 24 h, an earlier id) becomes 'retry'; a contact a live
 * lead has becomes a repeat inquiry on it; anything else a new lead —
 * assigned, with its history and card (createLead). Throws
 * UnprocessableError / UnsupportedMediaTypeError when the body no longer
 * reads (it was read when accepted: a changed adapter or setting), and
 * whatever the database throws.
 */
export async function processJournaledSubmission(
  trx: Db, row: IntakeSubmission, source: FormSource, opts: { defaultCountry?: string } = {},
): Promise<ProcessedSubmission> {
  const twin = await findEarlierHashTwin(trx, row);
  if (twin) return { status: 'retry', leadId: twin.lead_id, duplicateOf: twin.id };
  const read = readSubmission(source, row.raw_body, row.content_type, opts);
  if (!read) throw new UnprocessableError('A test ping was journaled');
  const { submission, input } = read;
  try {
    const lead = await createLead(trx, input, opts);
    return { status: 'created', leadId: lead.id };
  } catch (err) {
    if (!(err instanceof DuplicateLeadError)) throw err;
    await recordRepeatInquiry(trx, err.existingLeadId, repeatInquiryFor(source, submission, input))
      .catch((e: unknown) => {
        // The matching lead was deleted mid-flight: a retry of the submission creates a fresh lead.
        throw e instanceof NotFoundError ? new Error('Duplicate lead vanished during intake', { cause: e }) : e;
      });
    return { status: 'repeat', leadId: err.existingLeadId };
  }
}
