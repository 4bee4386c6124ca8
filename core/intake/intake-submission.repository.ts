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
