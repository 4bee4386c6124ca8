import type { Kysely } from 'kysely';
import type { Database } from '../../core/database.js';
import type { IntakeResult } from '../../core/intake/intake.service.js';
import { processDueSubmissions, type ProcessResult } from '../../core/intake/intake-worker.service.js';
import { pollUntil } from './poll.js';

/**
 * The intake worker has run (the explicit signal tests wait for, issue 14):
 * passes over the journal until nothing is due, returning every result.
 * Submissions rescheduled for later are not waited for.
 */
export async function drainJournal(db: Kysely<Database>, opts: { defaultCountry?: string } = {}): Promise<ProcessResult[]> {
  const all: ProcessResult[] = [];
  for (;;) {
    const batch = await processDueSubmissions(db, opts);
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/**
 * What a webhook delivery became once the worker ran, as intake answered
 * before the journal (created / repeat with the lead; duplicate for a
 * provider retry, with the first delivery's lead; test).
 */
export async function outcomeOf(
  db: Kysely<Database>, result: IntakeResult, opts: { defaultCountry?: string } = {},
): Promise<{ status: 'created' | 'repeat' | 'duplicate' | 'retry' | 'test' | 'pending' | 'failed'; leadId?: number | null }> {
  if (result.status === 'test') return { status: 'test' };
  await drainJournal(db, opts);
  const id = result.submissionId;
  if (result.status === 'duplicate') {
    const first = id === null ? undefined : await db.selectFrom('intake_submissions').select('lead_id').where('id', '=', id).executeTakeFirst();
    return { status: 'duplicate', leadId: first?.lead_id ?? null };
  }
  const row = await db.selectFrom('intake_submissions').select(['status', 'outcome', 'lead_id']).where('id', '=', id).executeTakeFirstOrThrow();
  if (row.status !== 'done') return { status: row.status === 'failed' ? 'failed' : 'pending', leadId: null };
  return { status: row.outcome === 'duplicate' ? 'repeat' : row.outcome!, leadId: row.lead_id };
}

/** drainJournal through a core (its settings, e.g. DEFAULT_COUNTRY): the worker's passes until nothing is due. */
export async function processJournal(core: { intake: { processDue(): Promise<ProcessResult[]> } }): Promise<ProcessResult[]> {
  const all: ProcessResult[] = [];
  for (let batch = await core.intake.processDue(); batch.length > 0; batch = await core.intake.processDue()) all.push(...batch);
  return all;
}

/**
 * Waits until a running app's intake worker has processed everything due in
 * the journal (nothing pending or claimed): the explicit condition tests on a
 * live app wait for before looking at leads. Throws after timeoutMs.
 */
export async function untilJournalProcessed(db: Kysely<Database>, timeoutMs = 20_000): Promise<void> {
  await pollUntil(async () => {
    const waiting = await db.selectFrom('intake_submissions').select('id').where('status', 'in', ['pending', 'processing']).limit(1).execute();
    return waiting.length === 0 ? true : undefined;
  }, { what: 'the intake journal to be processed', timeoutMs, intervalMs: 50 });
}
