import type { Db } from '../database.js';
import { asServiceUnavailable } from '../service-unavailable.js';
import { journalSubmission, journalSubmissions, type JournalEntry } from './intake-journal.repository.js';

export interface JournalWriterOptions {
  /** Most deliveries written by one statement. Default 256. */
  maxBatch?: number;
  /** Statements in flight at once (each holds a pool connection). Default 4. */
  maxInFlight?: number;
}

export interface JournalWriter {
  /**
   * Journals one delivery (§11), ending its source's run of unprocessable
   * submissions, and resolves once its statement committed: the new
   * submission's id, or null for a provider retry (journalSubmissions).
   * Rejects with what the database threw.
   */
  write(entry: JournalEntry): Promise<number | null>;
  /** Deliveries waiting for a statement (all maxInFlight are busy): the webhook is saturated. */
  waiting(): number;
}

interface Waiting { entry: JournalEntry; resolve(id: number | null): void; reject(err: unknown): void }

/** SQLSTATE classes a single bad row can cause (data exceptions, integrity violations): worth writing the others one by one. */
const ROW_ERROR = /^2[23]/;

/**
 * Group commit for the intake journal (issue 14: intake at the speed of one
 * INSERT). A delivery that arrives while fewer than maxInFlight statements
 * run is written at once, alone — no waiting at low traffic. Deliveries
 * that arrive while all are busy wait together and go in the next
 * statement, one commit for all of them: under a burst each delivery costs
 * a fraction of a round trip and of a WAL flush instead of a whole one, so
 * the webhook keeps up with what the database can commit. Every caller
 * still hears only after the commit that holds its row (a 2xx means
 * stored). A statement that fails for a reason one row could cause (a
 * data or constraint error) is retried row by row so the others are kept;
 * any other failure fails the statement's callers, each answered 503 by
 * the webhook; when it says the database is away or did not answer in
 * time, the deliveries queued behind it fail with it rather than wait a
 * second bound against the same database.
 */
export function createJournalWriter(db: Db, opts: JournalWriterOptions = {}): JournalWriter {
  const maxBatch = opts.maxBatch ?? 256;
  const maxInFlight = opts.maxInFlight ?? 4;
  const queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  // Deliveries parsed in the same turn of the event loop share a statement.
  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      while (inFlight < maxInFlight && queue.length > 0) void flush(queue.splice(0, maxBatch));
    });
  }

  async function flush(batch: Waiting[]): Promise<void> {
    inFlight++;
    try {
      try {
        const ids = await journalSubmissions(db, batch.map((w) => w.entry));
        batch.forEach((w, i) => w.resolve(ids[i]!));
      } catch (err) {
        if (asServiceUnavailable(err)) {
          // Sent to the database that just did not answer, those queued behind it would wait a
          // statement's bound of their own after part of this one: they hear 503 now, and retry.
          for (const w of [...batch, ...queue.splice(0)]) w.reject(err);
          return;
        }
        if (batch.length === 1 || !ROW_ERROR.test(String((err as { code?: unknown }).code ?? ''))) {
          for (const w of batch) w.reject(err);
          return;
        }
        for (const w of batch) await journalSubmission(db, w.entry).then(w.resolve, w.reject);
      }
    } finally {
      inFlight--;
      schedule();
    }
  }

  return {
    waiting: () => queue.length,
    write(entry) {
      return new Promise<number | null>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        schedule();
      });
    },
  };
}
