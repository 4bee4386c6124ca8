import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { acquireDataDirLock, type LockRole } from './embedded-lock.js';

const INT8_OID = 20;

export interface DbHandle {
  db: Kysely<Database>;
  /** 'postgres' for a server at DATABASE_URL, 'pglite' for the embedded one. */
  kind: 'postgres' | 'pglite';
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
}

/**
 * Opens the source of truth: PostgreSQL when a URL is given, else an embedded
 * PGlite in `${dataDir}/pglite` (or in memory). int8 columns (COUNT, bigint ids)
 * are parsed to numbers on both, so callers see the same shapes.
 * An embedded database on disk is locked for this process until close():
 * throws DataDirInUseError (core/embedded-lock.ts) when another process, or
 * an earlier open in this one, holds the folder (after waiting up to 30 s
 * for a 'command' holder to let go).
 */
export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (!options.dataDir) return openPglite(undefined, () => {});
  const pgliteDir = join(options.dataDir, 'pglite');
  mkdirSync(pgliteDir, { recursive: true });
  // Before PGlite touches the folder: two instances on one folder corrupt it.
  const lock = await acquireDataDirLock(options.dataDir, { role: options.lockRole ?? 'app' });
  try {
    return await openPglite(pgliteDir, lock.release);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function openPglite(dataDir: string | undefined, afterClose: () => void): Promise<DbHandle> {
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    parsers: { [INT8_OID]: (v: string) => Number(v) },
    // Trigram search (/find) needs pg_trgm; PGlite ships it as a loadable extension.
    extensions: { pg_trgm },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: client }) });
  return {
    db,
    kind: 'pglite',
    async close() {
      try {
        await db.destroy();
      } finally {
        afterClose();
      }
    },
  };
}
