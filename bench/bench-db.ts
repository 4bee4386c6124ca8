import pg from 'pg';
import { createDb, type DbHandle } from '../core/create-db.js';
import { migrateToLatest } from '../core/migrate.js';
import { dropDatabaseWhenIdle } from '../tests/support/drop-database.js';

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, migrated database on the bench server; close() drops it. */
export async function createBenchDb(label: string, poolSize = 20): Promise<DbHandle & { url: string }> {
  const name = `crm_bench_${label}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  // Seeding a million rows takes longer than the app's 10 s statement bound,
  // more so on a busy machine; the bound is for production traffic, not set-up.
  const handle = await createDb({ databaseUrl: url.toString(), poolSize, statementTimeoutMs: 600_000 });
  await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await dropDatabaseWhenIdle(admin, name);
      await admin.end();
    },
  };
}
