import { sql, type Kysely } from 'kysely';
import { Migrator, type MigrationResult } from 'kysely/migration';
import { migrations } from '../migrations/index.js';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Brings the schema to the latest migration in migrations/index.ts.
 * Returns the names applied now (none, after one SELECT, when every one is
 * applied already); throws MigrationError naming the failed migration, with
 * the database error as `cause`, or when the database ran one not listed.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (await isAtLatest(db)) return [];
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new MigrationError(`Migration ${failed?.migrationName ?? '(none)'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Every migration of the list applied, and nothing else: one SELECT, where
 * the Migrator takes its lock first (170 ms of an embedded start with
 * nothing to do). False when it cannot tell (no migration table yet).
 */
async function isAtLatest(db: Kysely<any>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    const expected = Object.keys(migrations).sort();
    return rows.length === expected.length && rows.every((r, i) => r.name === expected[i]);
  } catch {
    return false;
  }
}
