import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../core/create-db.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { printAppOutputOnFailure, startAppProcess, type AppProcess } from '../support/app-process.js';
import { proxyFor } from '../support/fault-fixtures.js';
import { isAccepted, startIntakeLoad, type IntakeAttempt } from '../support/intake-load.js';
import { untilJournalProcessed } from '../support/intake-journal.js';
import { pollUntil } from '../support/poll.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase } from '../support/test-db.js';

// PostgreSQL hangs under the running app: connections stay open and nothing
// answers (a frozen server, a network that drops packets). The TCP proxy in
// front of the test database holds every byte until thaw(). Without bounds a
// form webhook would wait for ever; with them it is told 503 in time.

const CONNECT_TIMEOUT_MS = 500;
const STATEMENT_TIMEOUT_MS = 1_000;
// The longest a request may take while the database hangs: getting a connection is bounded
// by the connect timeout (pg-pool counts the wait for a free one too), and then ONE query
// by the statement timeout plus create-db's 1 s client-side margin; after that the request
// is answered (the rollback must not wait a second time); on top, slack for a busy CI machine.
const ANSWER_WITHIN_MS = CONNECT_TIMEOUT_MS + STATEMENT_TIMEOUT_MS + 1_000 + 1_000;

describe.runIf(process.env.DATABASE_URL)('PostgreSQL freezes during intake load', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let direct: DbHandle;
  let proxy: TcpProxy;
  let app: AppProcess;
  let webhookUrl: string;
  printAppOutputOnFailure(() => [app]);

  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createDb({ databaseUrl: database.databaseUrl, poolSize: 2 });
    const { secret, webhookPath } = await createFormSource(direct.db, { name: 'landing', provider: 'generic' });
    proxy = await proxyFor(database.databaseUrl!);
    app = await startAppProcess({
      env: {
        DATABASE_URL: proxy.urlFor(database.databaseUrl!), JOBS_ENABLED: 'false',
        DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      },
    });
    webhookUrl = `${app.url}${webhookPath}?secret=${encodeURIComponent(secret)}`;
  });
  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
    await direct?.close();
    await database?.drop();
  });

  /** The app's sessions on its database, as the server sees them. */
  const sessions = () => sql<{ state: string; query: string; in_transaction: boolean; waiting_for_lock: boolean }>`
    select state, left(query, 60) as query, xact_start is not null as in_transaction,
      wait_event_type is not distinct from 'Lock' as waiting_for_lock
    from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(direct.db).then((r) => r.rows);
  const attempts: IntakeAttempt[] = [];
  let frozenAt = 0;
  let thawedAt = 0;

  it(`answers every request within ${ANSWER_WITHIN_MS} ms while the database hangs: 503 with Retry-After`, async () => {
    const load = startIntakeLoad({ url: webhookUrl, workers: 12, pauseMs: 20, label: `frozen-${Date.now()}` });
    let health: { status: number; ms: number };
    try {
      await load.waitFor((a) => a.filter(isAccepted).length >= 20, '20 submissions accepted before the freeze');
      // Freeze in the middle of transactions, the case where giving up must also undo: hold
      // the leads table until intake transactions wait for it, freeze, then let them insert.
      // Their leads are written on the server; the answers are held at the proxy.
      const locker = new pg.Client({ connectionString: database.databaseUrl });
      await locker.connect();
      try {
        await locker.query('begin');
        await locker.query('lock table leads in exclusive mode');
        await pollUntil(async () => ((await sessions()).some((x) => x.waiting_for_lock) ? true : undefined),
          { what: 'an intake transaction waiting to insert its lead', timeoutMs: 5_000, intervalMs: 5 });
        proxy.freeze();
        frozenAt = Date.now();
        await locker.query('commit');
      } finally {
        await locker.end();
      }
      const res = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(10_000) });
      health = { status: res.status, ms: Date.now() - frozenAt };
      // Frozen past the bound, so what was in flight at the freeze had to be answered frozen, and
      // for several rounds of requests; thawed well within the pool's 10 s idle timeout, which
      // would close a connection left inside a transaction and so hide it from the next test.
      await load.waitFor((a) => Date.now() - frozenAt >= ANSWER_WITHIN_MS + 500
        && a.filter((x) => x.startedAt >= frozenAt).length >= 12, 'answers while the database hangs', 20_000);
    } finally {
      await load.stop(); // still frozen: whatever was in flight is answered by the bounds
    }
    attempts.push(...load.attempts);

    expect(health.status).toBe(503);
    expect(health.ms).toBeLessThan(2_000 + 1_000); // /health's own per-check limit, plus slack
    expect(attempts.filter((a) => a.status === null)).toEqual([]);
    const duringFreeze = attempts.filter((a) => a.endedAt >= frozenAt);
    const slow = duringFreeze.filter((a) => a.endedAt - a.startedAt > ANSWER_WITHIN_MS);
    expect(slow.map((a) => ({ status: a.status, ms: a.endedAt - a.startedAt }))).toEqual([]);
    const refused = attempts.filter((a) => !isAccepted(a));
    expect(refused.length).toBeGreaterThanOrEqual(12);
    for (const a of refused) expect({ status: a.status, retryAfter: a.retryAfter }).toEqual({ status: 503, retryAfter: '5' });
  }, 40_000);

  it('once the database answers again, no transaction the app gave up on is left open', async () => {
    proxy.thaw();
    thawedAt = Date.now();
    // Nothing is sent to the app now, so none of its sessions has a reason to be inside a
    // transaction. One that stays there was given up on by the app (a BEGIN that timed out
    // is never rolled back): whatever runs next on that connection runs inside it.
    // (Within 2 s: the pool closes an idle connection after 10 s, which would end it anyway.)
    const open = async () => (await sessions()).filter((x) => x.in_transaction);
    await pollUntil(async () => ((await open()).length === 0 ? true : undefined),
      { what: 'no session of the app to be inside a transaction after the thaw', timeoutMs: 2_000, intervalMs: 50 })
      .catch(async (err: Error) => { throw new Error(`${err.message}: ${JSON.stringify(await open())}`); });
  }, 20_000);

  it('takes submissions again once the database answers', async () => {
    const load = startIntakeLoad({ url: webhookUrl, workers: 12, pauseMs: 20, label: `thawed-${Date.now()}` });
    try {
      await load.waitFor((a) => a.filter(isAccepted).length >= 40, '40 submissions accepted after the thaw', 20_000);
    } finally {
      await load.stop();
    }
    attempts.push(...load.attempts);
    expect(load.attempts.filter((a) => !isAccepted(a))).toEqual([]);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  }, 30_000);

  it('every submission that got a 2xx is stored, and none that was refused is stored in part', { timeout: 40_000 }, async () => {
    const accepted = attempts.filter(isAccepted).map((a) => a.email);
    // A 2xx means journaled; the app's intake worker makes the leads.
    await untilJournalProcessed(direct.db, 30_000);
    const stored = await direct.db.selectFrom('leads as l').leftJoin('intake_submissions as s', 's.lead_id', 'l.id')
      .select(['l.id', 'l.email', 's.id as submission_id']).execute();
    expect(new Set(stored.filter((l) => accepted.includes(l.email!)).map((l) => l.email))).toEqual(new Set(accepted));
    // A refused submission may have been stored whole (its answer was lost on the way), never half.
    expect(stored.filter((l) => l.submission_id === null)).toEqual([]);
  });
});

describe.runIf(process.env.DATABASE_URL)('a BEGIN that times out while the database hangs', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let direct: DbHandle;
  let proxy: TcpProxy;
  let app: DbHandle;

  beforeAll(async () => {
    database = await createTestDatabase();
    direct = await createDb({ databaseUrl: database.databaseUrl, poolSize: 1 });
    await sql`create table frozen_probe (id int)`.execute(direct.db);
    proxy = await proxyFor(database.databaseUrl!);
    // One connection, as createDb opens it for the app: whatever runs next runs on the same one.
    app = await createDb({
      databaseUrl: proxy.urlFor(database.databaseUrl!), poolSize: 1,
      connectTimeoutMs: CONNECT_TIMEOUT_MS, statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    });
  });
  afterAll(async () => {
    await app?.close();
    await proxy?.close();
    await direct?.close();
    await database?.drop();
  });

  it('does not leave the connection inside that transaction: a later plain write is committed', async () => {
    await sql`select 1`.execute(app.db); // the connection is open
    proxy.freeze();
    await expect(app.db.transaction().execute(async (trx) => sql`select 1`.execute(trx))).rejects.toThrow(/timeout/i);
    proxy.thaw();
    // Autocommit: committed when it returns, unless it ran inside a transaction left open.
    await sql`insert into frozen_probe values (1)`.execute(app.db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from frozen_probe`.execute(direct.db);
    expect(rows[0]!.n).toBe(1);
  }, 20_000);
});
