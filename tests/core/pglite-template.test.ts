import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../core/create-db.js';
import { migrateToLatest, MigrationError } from '../../core/migrate.js';
import { ensurePgliteTemplate } from '../../core/pglite-template.js';
import { migrations } from '../../migrations/index.js';
import { createTestDb } from '../support/test-db.js';

const folders: string[] = [];
const fresh = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `crm-${label}-`));
  folders.push(dir);
  return dir;
};
afterAll(() => { for (const dir of folders) rmSync(dir, { recursive: true, force: true }); });

const leadCount = async (db: Awaited<ReturnType<typeof createDb>>['db']) =>
  Number((await db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

// The embedded path only: the suite on PostgreSQL has no PGlite to start (and an initdb's CPU there
// slowed the fault tests that time answers while the database hangs).
describe.skipIf(Boolean(process.env.DATABASE_URL))('the embedded database starts from its template (§15)', () => {
  let template: string;
  beforeAll(async () => { template = (await ensurePgliteTemplate()).path; }, 60_000);

  it('a fresh data folder is migrated already, keeps what is written, and shares nothing with another', async () => {
    const [a, b] = [fresh('tpl-a'), fresh('tpl-b')];
    let h = await createDb({ dataDir: a, pgliteTemplate: template });
    expect(await migrateToLatest(h.db)).toEqual([]);
    await h.db.insertInto('leads').values({ source: 'WEB', full_name: 'Kept Lead', email: 'kept@example.com' }).execute();
    await h.close();
    h = await createDb({ dataDir: a, pgliteTemplate: template });
    expect(await leadCount(h.db)).toBe(1);
    await h.close();
    const other = await createDb({ dataDir: b, pgliteTemplate: template });
    expect(await leadCount(other.db)).toBe(0);
    await other.close();
    expect(existsSync(template)).toBe(true);
  }, 60_000);

  it('a template PGlite cannot open is removed, and the folder is made by initdb and every migration', async () => {
    const broken = fresh('tpl-broken');
    writeFileSync(join(broken, 'PG_VERSION'), 'not a cluster\n');
    mkdirSync(join(broken, 'base'));
    const h = await createDb({ dataDir: fresh('tpl-c'), pgliteTemplate: broken });
    expect(await migrateToLatest(h.db)).toEqual(Object.keys(migrations).sort());
    expect(await leadCount(h.db)).toBe(0);
    await h.close();
    expect(existsSync(broken)).toBe(false);
  }, 60_000);
});

describe('migrations on a database already at the latest', () => {
  it('apply nothing, and still refuse a database that ran a migration this code does not know', async () => {
    const h = await createTestDb();
    try {
      expect(await migrateToLatest(h.db)).toEqual([]);
      await sql`insert into kysely_migration (name, timestamp) values ('2099_01_01_000000_from_another_branch', now()::text)`.execute(h.db);
      await expect(migrateToLatest(h.db)).rejects.toBeInstanceOf(MigrationError);
    } finally {
      await h.close();
    }
  }, 60_000);
});
