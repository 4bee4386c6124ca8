/**
 * `npm run migrate`: brings the database named by the environment
 * (DATABASE_URL, else the embedded one in DATA_DIR) to the latest schema.
 * Prints each migration applied; exits 1 with the error when one fails.
 * The app also migrates on start; this is for deploys that migrate first.
 * Reads .env first, as `npm start` does. On the embedded database it needs
 * the app stopped: the folder opens in one process at a time.
 */
import { createConfig, loadEnvFile } from '../config.js';
import { createDb, migrateToLatest, type DbHandle } from '../core/index.js';

let handle: DbHandle | undefined;
try {
  loadEnvFile();
  const config = createConfig(process.env);
  handle = await createDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, lockRole: 'command', poolSize: 1 });
  const applied = await migrateToLatest(handle.db);
  for (const name of applied) console.log(`applied ${name}`);
  console.log(applied.length ? `${applied.length} migration(s) applied (${handle.kind})` : `already up to date (${handle.kind})`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  if (err instanceof Error && err.cause) console.error(err.cause);
  process.exitCode = 1;
} finally {
  await handle?.close();
}
