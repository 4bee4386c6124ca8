import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database, NewAiAnalysis } from '../database.js';

/** Rows at most per INSERT, and buffered at most (beyond it, the oldest are dropped and counted in the log). */
const BATCH_ROWS = 200;
const MAX_BUFFERED = 10_000;

export interface AuditWriter {
  /** Queues a row; returns at once (§7: logging must not slow the answer). */
  write(row: NewAiAnalysis): void;
  /** Resolves once every row queued so far is written (or given up after a failure, logged). */
  flush(): Promise<void>;
  /** Rows waiting to be written. */
  pending(): number;
}

/**
 * The §7 audit log off the answer's path: rows are queued in memory and
 * written by one background INSERT per batch, right after the answer (the
 * next turn of the event loop), many analyses' rows together under load.
 * A failed INSERT is retried with the next batch; the queue is bounded.
 * What it can lose: rows queued in the last moment before a kill -9 (a
 * graceful stop flushes). The score itself is saved with the lead, in its
 * transaction, before the answer: the audit row is its metadata.
 */
export function createAuditWriter(db: Kysely<Database>, logger: Logger): AuditWriter {
  let queue: NewAiAnalysis[] = [];
  let running: Promise<void> | null = null;
  let failures = 0;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, BATCH_ROWS);
      try {
        await db.insertInto('ai_analyses').values(batch).execute();
        queue = queue.slice(batch.length);
        failures = 0;
      } catch (err) {
        failures += 1;
        logger.warn({ err, rows: batch.length, attempt: failures }, 'ai_audit_write_failed');
        // Left queued for the next write (or flush); a database that stays away must not spin here.
        if (failures >= 3) {
          logger.error({ rows: batch.length }, 'ai_audit_rows_dropped');
          queue = queue.slice(batch.length);
          failures = 0;
        }
        return;
      }
    }
  }

  function kick(): Promise<void> {
    running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain).finally(() => {
      running = null;
      if (queue.length > 0 && failures === 0) void kick();
    });
    return running;
  }

  return {
    write(row) {
      queue.push(row);
      if (queue.length > MAX_BUFFERED) {
        const dropped = queue.length - MAX_BUFFERED;
        queue = queue.slice(dropped);
        logger.error({ rows: dropped }, 'ai_audit_rows_dropped');
      }
      void kick();
    },
    async flush() {
      for (let i = 0; i < 5 && (queue.length > 0 || running); i++) await (running ?? kick());
    },
    pending: () => queue.length,
  };
}
