import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../core/create-db.js';
import { migrateToLatest } from '../../core/migrate.js';
import { databaseUrlFor } from './database-url.js';
import { ensureMiniAppBuilt } from '../../scripts/build-miniapp.js';
import { ensurePgliteTemplate } from '../../core/pglite-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of a migrated template database on DATABASE_URL's server, or '' on PGlite. */
    templateDatabase: string;
    runId: string;
  }
}

/**
 * With DATABASE_URL: migrates one template database per run; every test file
 * clones it (CREATE DATABASE … TEMPLATE), so files never share state.
 */
export default async function setup(project: TestProject) {
  // The Mini App's browser tests serve its Vite build; a fresh clone has none yet.
  await ensureMiniAppBuilt();
  // Apps under test on fresh embedded folders start from it, as after npm ci (a new migration makes a new one).
  await ensurePgliteTemplate();
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  project.provide('runId', runId);
  const url = process.env.DATABASE_URL;
  if (!url) {
    project.provide('templateDatabase', '');
    return;
  }
  const template = `crm_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const handle = await createDb({ databaseUrl: databaseUrlFor(url, template), poolSize: 1 });
  await migrateToLatest(handle.db);
  await handle.close();
  project.provide('templateDatabase', template);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`, [`crm_%_${runId}%`]);
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
  };
}
