import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** What node-postgres rejects a query with when its client-side query_timeout passes. */
const CLIENT_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * The pool as Kysely uses it, with one guard: a connection on which a query
 * timed out on OUR side (pg's query_timeout: the server took the query and
 * has not answered — frozen, or the network between us is) is out of step
 * with the server and is never used again.
 *
 * Out of step, because the statement may still run when the server answers
 * again, and whatever the client queued behind it was dropped unsent. Left
 * in the pool, such a connection made a request wait a second timeout (its
 * ROLLBACK queued behind the stuck statement) and, when the stuck statement
 * was a BEGIN, stayed inside a transaction the app had given up on: later
 * statements on it ran inside that transaction, plain writes uncommitted
 * (their row locks held) until some later COMMIT on the connection, or lost
 * when it closed (tests/faults/pg-frozen.test.ts).
 * So from that timeout on, its queries fail at once with the same error
 * (→ 503; Kysely then discards the connection after a failed ROLLBACK) and
 * its release destroys it; the server ends the session, and with it any
 * transaction, once it sees the connection close.
 */
export function guardPoolAgainstClientTimeouts(pool: pg.Pool): PostgresPool {
  return {
    get options() {
      return pool.options;
    },
    end: () => pool.end(),
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let outOfStep: Error | null = null;
      const query = async (sql: string, parameters: readonly unknown[]) => {
        if (outOfStep) throw new Error(`${CLIENT_TIMEOUT_MESSAGE} earlier on this connection`, { cause: outOfStep });
        try {
          return await client.query(sql, parameters as unknown[]);
        } catch (err) {
          if (err instanceof Error && err.message === CLIENT_TIMEOUT_MESSAGE) outOfStep = err;
          throw err;
        }
      };
      return {
        // Kysely reads it to cancel a query by process id.
        get processID() {
          return (client as unknown as { processID?: number }).processID;
        },
        // Kysely passes a cursor only when configured with one (we are not).
        query: query as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy || outOfStep !== null),
      };
    },
  };
}
