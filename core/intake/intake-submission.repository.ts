import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, IntakeSubmission } from '../database.js';

/** §11: a body seen again within this window is a provider retry. */
export const PAYLOAD_DEDUP_HOURS = 24;

/** SHA-256 hex of the raw body, as stored in intake_submissions.payload_hash. */
export const payloadHashOf = (rawBody: string): string => createHash('sha256').update(rawBody, 'utf8').digest('hex');

export interface SubmissionKey {
  formSourceId: number;
  externalId: string | null;
  payloadHash: string;
}

/**
 * Serialises concurrent deliveries of one submission until the transaction
 * ends (pg_advisory_xact_lock; PGlite has it too), so a provider retry that
 * overtakes the first attempt waits for it and then sees its row. Keyed by
 * the provider id when there is one, else by the body hash. Call inside a
 * transaction, before findEarlierSubmission.
 */
export async function lockSubmission(db: Db, key: SubmissionKey): Promise<void> {
  const text = key.externalId !== null ? `id:${key.externalId}` : `hash:${key.payloadHash}`;
  await sql`select pg_advisory_xact_lock(${key.formSourceId}::int, hashtext(${text}))`.execute(db);
}

/**
 * The earlier submission this one repeats (§11): the same provider id at
 * any time, or the same body within PAYLOAD_DEDUP_HOURS — same form source only.
 */
export async function findEarlierSubmission(db: Db, key: SubmissionKey): Promise<IntakeSubmission | undefined> {
  return db.selectFrom('intake_submissions').selectAll()
    .where('form_source_id', '=', key.formSourceId)
    .where((eb) => eb.or([
      ...(key.externalId !== null ? [eb('external_id', '=', key.externalId)] : []),
      eb.and([
        eb('payload_hash', '=', key.payloadHash),
        eb('created_at', '>', sql<Date>`now() - make_interval(hours => ${PAYLOAD_DEDUP_HOURS})`),
      ]),
    ]))
    .orderBy('id').limit(1).executeTakeFirst();
}

/** Keeps the body as received with what became of it; call in the lead's transaction. */
export async function recordSubmission(db: Db, row: SubmissionKey & {
  contentType: string; rawBody: string; leadId: number; outcome: IntakeSubmission['outcome'];
}): Promise<void> {
  await db.insertInto('intake_submissions').values({
    form_source_id: row.formSourceId,
    external_id: row.externalId,
    payload_hash: row.payloadHash,
    content_type: row.contentType.slice(0, 200),
    raw_body: row.rawBody,
    lead_id: row.leadId,
    outcome: row.outcome,
  }).execute();
}
