import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Kysely, PGliteDialect } from 'kysely';
import { migrations } from '../migrations/index.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openPgliteClient } from './pglite-client.js';

/**
 * Where this checkout keeps the embedded database's template (§15: a
 * newcomer's first start): a PGlite data folder as initdb and every
 * migration left it, under node_modules/.cache. A fresh folder is a copy of
 * it (60 ms, then 0.2 s to open) instead of 3–4 s of initdb and 0.5 s of
 * migrations; `npm ci` builds it (scripts/pglite-template.ts). Its name holds
 * PGlite's version and the list of migrations, so a template another PGlite
 * or another schema made is never used — that start runs initdb as before.
 */
export function pgliteTemplatePath(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const nodeModules = entry.slice(0, entry.lastIndexOf('/node_modules/') + '/node_modules'.length);
  const { version } = JSON.parse(readFileSync(join(nodeModules, '@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  const schema = createHash('sha256').update(Object.keys(migrations).join('\n')).digest('hex').slice(0, 16);
  return join(nodeModules, '.cache', 'ael-crm', `pglite-${version}-${schema}`);
}

/**
 * Fills the empty folder `dataDir` with a copy of the folder `template`;
 * false (and nothing copied) when there is no such folder. Throws what the copy throws.
 */
export function copyPgliteTemplate(template: string, dataDir: string): boolean {
  if (!existsSync(template)) return false;
  cpSync(template, dataDir, { recursive: true });
  return true;
}

/** Removes a template PGlite could not open, so later starts don't try it again. */
export async function forgetPgliteTemplate(template: string): Promise<void> {
  await rm(template, { recursive: true, force: true });
}

/**
 * Builds the template (PGlite in a folder of its own, migrated to the
 * latest) unless it exists already; a half-built one is never in place (it
 * is built aside, then renamed). Returns its path, size in bytes and whether
 * it was built now. Throws MigrationError, or what PGlite or the file system throws.
 */
export async function ensurePgliteTemplate(): Promise<{ path: string; bytes: number; built: boolean }> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return { path, bytes: folderBytes(path), built: false };
  const partial = `${path}.${process.pid}.partial`;
  await mkdir(dirname(path), { recursive: true });
  await rm(partial, { recursive: true, force: true });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite: await openPgliteClient(partial) }) });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  try {
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    if (!existsSync(path)) throw err; // else another process put its template there first
  }
  return { path, bytes: folderBytes(path), built: true };
}

const folderBytes = (path: string): number => readdirSync(path, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
