import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../core/create-db.js';
import { migrateToLatest } from '../../core/migrate.js';
import { databaseUrlFor } from './database-url.js';
import { dropDatabaseWhenIdle } from './drop-database.js';

/**
 * Where a whole app under test keeps its data: a fresh database cloned from
 * the run's migrated template on the real PostgreSQL (DATABASE_URL set), or a
 * fresh folder for the embedded PGlite. drop() removes it.
 */
export async function createTestDatabase(): Promise<{ databaseUrl?: string; dataDir?: string; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  const template = inject('templateDatabase');
  if (!url || !template) {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-test-'));
    return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `crm_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(url, (c) => c.query(`create database ${name} template ${template}`));
  return {
    databaseUrl: databaseUrlFor(url, name),
    drop: () => withAdmin(url, (c) => dropDatabaseWhenIdle(c, name)),
  };
}

/**
 * A fresh, migrated database for one test file (see createTestDatabase);
 * PGlite runs in memory. close() drops it.
 */
export async function createTestDb(): Promise<DbHandle> {
  if (!process.env.DATABASE_URL || !inject('templateDatabase')) {
    const handle = await createDb({});
    await migrateToLatest(handle.db);
    return handle;
  }
  const database = await createTestDatabase();
  const handle = await createDb({ databaseUrl: database.databaseUrl, poolSize: 10 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
