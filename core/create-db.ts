import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { acquireDataDirLock, type LockRole } from './embedded-lock.js';
import { createPgListener } from './pg-listener.js';
import { INT8_OID, openPgliteClient } from './pglite-client.js';
import { copyPgliteTemplate, forgetPgliteTemplate, pgliteTemplatePath } from './pglite-template.js';
import { guardPoolAgainstClientTimeouts } from './pg-timeout-guard.js';

export interface DbHandle {
  db: Kysely<Database>;
  /** 'postgres' for a server at DATABASE_URL, 'pglite' for the embedded one. */
  kind: 'postgres' | 'pglite';
  /**
   * LISTEN on a channel: onNotify runs for each NOTIFY committed on it (and
   * once after a lost connection comes back, since NOTIFYs meanwhile are
   * lost). Resolves to an unsubscribe function.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** postgres://… ; absent → embedded PGlite. */
  databaseUrl?: string | undefined;
  /**
   * Folder for the embedded database (DATA_DIR); absent → in memory (tests).
   * Held exclusively from open to close(), see core/embedded-lock.ts.
   */
  dataDir?: string | undefined;
  /**
   * Embedded on disk: 'app' (default) holds the folder while it runs;
   * 'command' (CLI scripts) only briefly, so openers wait for it.
   */
  lockRole?: LockRole;
  /** Pool size for a server; default 10. */
  poolSize?: number;
  /** How long to wait for a connection to the server, ms (§15: a dead server gives fast errors). Default 5000. */
  connectTimeoutMs?: number;
  /** Longest a statement may run, ms: server-side statement_timeout, plus a client-side bound for a frozen server. Default 10000. */
  statementTimeoutMs?: number;
  /**
   * Embedded: the folder a fresh data folder is copied from (see
   * core/pglite-template.ts); default this checkout's template, null: none (initdb).
   */
  pgliteTemplate?: string | null;
  /** Connection errors of idle pooled clients and of the LISTEN connection (a restart, a failover): logged, never fatal. */
  onConnectionError?: (err: Error) => void;
}

/**
 * Opens the source of truth: PostgreSQL when a URL is given, else an embedded
 * PGlite in `${dataDir}/pglite` (or in memory). int8 columns (COUNT, bigint ids)
 * are parsed to numbers on both, so callers see the same shapes.
 *
 * With PostgreSQL, a server that restarts, fails over or freezes never ends
 * the process: idle clients' errors are handled (an unhandled 'error' on a
 * pool client would crash Node), every query is bounded by the timeouts,
 * and new connections are made as the pool needs them once the server is back.
 *
 * An embedded database on disk is locked for this process until close():
 * throws DataDirInUseError (core/embedded-lock.ts) when another process, or
 * an earlier open in this one, holds the folder (after waiting up to 30 s
 * for a 'command' holder to let go). A fresh folder starts as a copy of the
 * template (pgliteTemplate) when there is one; a template PGlite cannot open
 * is removed and the folder made by initdb instead.
 */
export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  if (options.databaseUrl) return createPostgres(options.databaseUrl, options);
  if (!options.dataDir) return openPglite(undefined, () => {}, null);
  const pgliteDir = join(options.dataDir, 'pglite');
  mkdirSync(pgliteDir, { recursive: true });
  // Before PGlite touches the folder: two instances on one folder corrupt it.
  const lock = await acquireDataDirLock(options.dataDir, { role: options.lockRole ?? 'app' });
  const template = options.pgliteTemplate === undefined ? pgliteTemplatePath() : options.pgliteTemplate;
  try {
    return await openPglite(pgliteDir, lock.release, template);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function openPglite(dataDir: string | undefined, afterClose: () => void, template: string | null): Promise<DbHandle> {
  // A fresh folder starts as a copy of the template when there is one (core/pglite-template.ts).
  const fromTemplate = dataDir !== undefined && template !== null && !existsSync(join(dataDir, 'PG_VERSION'))
    && copyPgliteTemplate(template, dataDir);
  let client;
  try {
    client = await openPgliteClient(dataDir);
  } catch (err) {
    if (!fromTemplate) throw err;
    // A template this PGlite cannot open: forget it and run initdb in a clean folder, as without one.
    await forgetPgliteTemplate(template);
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    client = await openPgliteClient(dataDir);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: client }) });
  return {
    db,
    kind: 'pglite',
    listen: async (channel, onNotify) => {
      const unsubscribe = await client.listen(channel, () => onNotify());
      return async () => { await unsubscribe(); };
    },
    async close() {
      try {
        await db.destroy();
      } finally {
        afterClose();
      }
    },
  };
}

function createPostgres(url: string, options: CreateDbOptions): DbHandle {
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  const clientConfig = {
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: statementTimeoutMs,
    // The client-side bound catches a server that takes the query and never answers (frozen, partitioned).
    query_timeout: statementTimeoutMs + 1_000,
    keepAlive: true,
  };
  const pool = new pg.Pool({
    ...clientConfig,
    max: options.poolSize ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', onConnectionError);
  // pg-pool listens for 'error' only on IDLE clients. A checked-out client whose
  // connection breaks (a restart, a cut network) emits 'error' with no listener,
  // which is an uncaught exception: the whole process died on a PostgreSQL restart
  // under load (tests/faults/pg-restart.test.ts). The query it was running fails
  // with the same error (→ 503, logged there) and the pool drops the client on
  // release, as it is no longer queryable; so this listener only has to exist.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: guardPoolAgainstClientTimeouts(pool) }) });
  const listener = createPgListener({ ...clientConfig, query_timeout: undefined, statement_timeout: undefined }, onConnectionError);
  return {
    db,
    kind: 'postgres',
    listen: (channel, onNotify) => listener.listen(channel, onNotify),
    close: async () => {
      await listener.close();
      await db.destroy();
    },
  };
}
