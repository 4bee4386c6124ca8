import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, FormSource, IntakeSubmission } from '../database.js';
import { DomainError, UnprocessableError, UnsupportedMediaTypeError } from '../errors.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { claimSubmissions, completeSubmission, failSubmission } from './intake-journal.repository.js';
import { processJournaledSubmission } from './intake.service.js';

/** Claims per submission before it is set aside for admins (§11: retried, then shown). */
export const INTAKE_MAX_ATTEMPTS = 5;
/**
 * How long a claim is the worker's; a worker that dies (or loses the
 * database mid-batch) leaves its rows to others after this. A batch takes
 * well under a second; one that overruns is finished by whoever claims it
 * next, and the late one's completion is refused (completeSubmission).
 */
export const INTAKE_LEASE_MS = 15_000;

export interface ProcessOptions {
  /** Most submissions claimed at once (a batch). Default 50. */
  limit?: number;
  /** Submissions processed at the same time within a batch, each in its own transaction. Default 4. */
  concurrency?: number;
  defaultCountry?: string;
  logger?: Logger;
  /**
   * True while deliveries wait for their 2xx (the webhook is saturated):
   * then one lane goes on and the others stop taking submissions, leaving
   * the process to the deliveries — a person's form is answered before a
   * lead's card is queued. Default never.
   */
  yieldTo?: () => boolean;
}

/**
 * What became of one claimed submission: created / repeat / retry (see
 * ProcessedSubmission); retrying: it failed and is due again later;
 * set_aside: failed for good (unreadable now, or INTAKE_MAX_ATTEMPTS
 * claims), admins told; taken_over: the claim's lease ran out and another
 * worker finished it (nothing of ours was kept).
 */
export interface ProcessResult {
  submissionId: number;
  status: 'created' | 'repeat' | 'retry' | 'retrying' | 'set_aside' | 'taken_over';
  leadId?: number | null;
  error?: string;
}

class TakenOver extends Error {}

/** §15 named events, one per outcome (the webhook itself logs intake_accepted). */
const EVENT_BY_STATUS = { created: 'lead_created', repeat: 'intake_repeat_inquiry', retry: 'intake_duplicate' } as const;

/** Backoff before the next claim after `attempts` failed ones: 1 s, 2 s, 4 s, 8 s… (ms). */
export const retryDelayMs = (attempts: number): number => 1_000 * 2 ** Math.max(attempts - 1, 0);

/**
 * One pass of the intake worker (§11, §4): claims a batch of journaled
 * submissions (claimSubmissions: SKIP LOCKED, so several instances share the
 * queue) and processes each in its own transaction: the lead, the §4
 * duplicate rule, assignment and the card (processJournaledSubmission),
 * then the row marked done — only if the claim is still ours. A failure is
 * retried after retryDelayMs; after INTAKE_MAX_ATTEMPTS claims, or at once
 * when the body no longer reads, the submission is set aside and every
 * admin is told ('intake_failed'). Never throws for one submission
 * (house style 6); returns one result per claimed row, [] when none was due.
 */
export async function processDueSubmissions(db: Kysely<Database>, opts: ProcessOptions = {}): Promise<ProcessResult[]> {
  const rows = await claimSubmissions(db, { limit: opts.limit ?? 50, leaseMs: INTAKE_LEASE_MS });
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.form_source_id))];
  const sources = new Map((await db.selectFrom('form_sources').selectAll().where('id', 'in', ids).execute()).map((s) => [s.id, s]));
  const results: ProcessResult[] = new Array(rows.length);
  let next = 0;
  const lane = async (n: number) => {
    for (let i = next++; i < rows.length; i = next++) {
      results[i] = await processOne(db, rows[i]!, sources.get(rows[i]!.form_source_id), opts);
      if (n > 0 && opts.yieldTo?.()) return;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, rows.length) }, (_, n) => lane(n)));
  return results;
}

async function processOne(db: Kysely<Database>, row: IntakeSubmission, source: FormSource | undefined, opts: ProcessOptions): Promise<ProcessResult> {
  const base = { submissionId: row.id };
  try {
    if (!source) throw new UnprocessableError('The form source is gone');
    return await db.transaction().execute(async (trx) => {
      const done = await processJournaledSubmission(trx, row, source, opts.defaultCountry ? { defaultCountry: opts.defaultCountry } : {});
      const outcome = done.status === 'created' ? 'created' : done.status === 'repeat' ? 'duplicate' : 'retry';
      const ours = await completeSubmission(trx, {
        id: row.id, attempts: row.attempts, outcome, leadId: done.leadId, duplicateOf: done.status === 'retry' ? done.duplicateOf : null,
      });
      if (!ours) throw new TakenOver();
      return { ...base, status: done.status, leadId: done.leadId };
    }).then((result) => {
      opts.logger?.info({ submission_id: row.id, form_source_id: row.form_source_id, lead_id: result.leadId ?? null },
        EVENT_BY_STATUS[result.status as keyof typeof EVENT_BY_STATUS]);
      return result;
    });
  } catch (err) {
    if (err instanceof TakenOver) return { ...base, status: 'taken_over' };
    return recordFailure(db, row, err, opts.logger);
  }
}

async function recordFailure(db: Kysely<Database>, row: IntakeSubmission, err: unknown, logger?: Logger): Promise<ProcessResult> {
  const unreadable = err instanceof UnprocessableError || err instanceof UnsupportedMediaTypeError;
  const setAside = unreadable || row.attempts >= INTAKE_MAX_ATTEMPTS;
  // A code, or the driver's message: neither carries the submission's contents.
  const error = err instanceof DomainError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  try {
    await db.transaction().execute(async (trx) => {
      const ours = await failSubmission(trx, { id: row.id, attempts: row.attempts, error, retryInMs: setAside ? null : retryDelayMs(row.attempts) });
      if (ours && setAside) {
        await queueMessage(trx, { permission: 'sources.manage' }, { kind: 'intake_failed', submissionId: row.id, formSourceId: row.form_source_id });
      }
    });
  } catch (markErr) {
    // Still claimed: the lease runs out and the submission is claimed again; nothing is lost.
    logger?.error({ err: markErr, submission_id: row.id }, 'intake_failure_not_recorded');
  }
  logger?.[setAside ? 'error' : 'warn']({ err, submission_id: row.id, form_source_id: row.form_source_id, attempts: row.attempts }, setAside ? 'intake_submission_set_aside' : 'intake_submission_retrying');
  return { submissionId: row.id, status: setAside ? 'set_aside' : 'retrying', error };
}
