import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type DbHandle } from '../../core/create-db.js';
import { migrateToLatest } from '../../core/migrate.js';
import { databaseUrlFor } from './database-url.js';

/**
 * A fresh, migrated database for one test file: a clone of the run's template
 * on the real PostgreSQL when DATABASE_URL is set, else an in-memory PGlite.
 * close() drops it.
 */
export async function createTestDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  const template = inject('templateDatabase');
  if (!url || !template) {
    const handle = await createDb({});
    await migrateToLatest(handle.db);
    return handle;
  }
  const name = `crm_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(url, (c) => c.query(`create database ${name} template ${template}`));
  const handle = await createDb({ databaseUrl: databaseUrlFor(url, name), poolSize: 10 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await withAdmin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
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
