import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import { createControlFile } from '../../core/embedded-control.js';
import { acquireDataDirLock, type DataDirLock } from '../../core/embedded-lock.js';
import { createFormSource } from '../../core/intake/form-source.service.js';
import { localUrlFor, startHttpServer, type HttpServer } from '../../http/app.js';
import { CONTROL_PATH, createControlRoutes } from '../../http/routes/control.js';
import { connectEmbeddedLeads } from '../../scripts/leads-backend.js';
import { connectEmbedded } from '../../scripts/sources-backend.js';
import { buildApp, testConfig } from '../http/http-harness.js';
import { createTestDb } from '../support/test-db.js';
import { createTestCore } from '../support/test-core.js';
import { createTestStore } from '../support/test-store.js';

// `npm run leads` while an app holds the embedded database: the import goes through the
// app's control endpoint, its progress streamed back line by line.

const dataDir = mkdtempSync(join(tmpdir(), 'crm-leads-'));
let lock: DataDirLock;
let handle: DbHandle;
let server: HttpServer;
const store = createTestStore();
const control = createControlFile({ dataDir });

beforeAll(async () => {
  lock = await acquireDataDirLock(dataDir, { role: 'app' });
  handle = await createTestDb();
  const core = createTestCore(handle, store);
  const { app } = buildApp({
    handle, store, core, routes: [{ path: CONTROL_PATH, app: createControlRoutes({ core, token: control.token, pid: process.pid }) }],
  });
  server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  control.publish(localUrlFor('127.0.0.1', server.port));
});
afterAll(async () => {
  control.unpublish();
  await server?.close();
  await handle?.close();
  await store.close();
  lock?.release();
  rmSync(dataDir, { recursive: true, force: true });
});

const CSV = 'Name,Phone,Email\nAnn,+380501110001,ann@example.com\nBob,nope,\nAnn again,,ann@example.com\n'
  + Array.from({ length: 1200 }, (_, i) => `P${i},+38050${String(2_000_000 + i)},`).join('\n');

describe('npm run leads through the running app', () => {
  it('imports with progress, then exports; a second import of the same file creates nothing', async () => {
    const backend = await connectEmbeddedLeads({ dataDir, config: testConfig(), startWaitMs: 1000 });
    expect(backend.kind).toBe('control');
    const progress: number[] = [];
    const first = await backend.importCsv({ bytes: Buffer.from(CSV), fileName: 'contacts.csv', onProgress: (done) => progress.push(done) });
    expect(first).toMatchObject({ total: 1203, created: 1201, duplicate: 1, refused: 1 });
    expect(progress).toEqual([500, 1000, 1203]);
    expect(first.resultsCsv.toString('utf8')).toContain('3,refused,,,');
    const again = await backend.importCsv({ bytes: Buffer.from(CSV), fileName: 'contacts.csv', onProgress: () => {} });
    expect(again).toMatchObject({ created: 0, duplicate: 1202, refused: 1 });
    const { csv, count } = await backend.exportCsv({ stages: ['NEW'] });
    expect(count).toBe(1201);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString('utf8')).toContain("'+380501110001");
    await backend.close();
  });

  it('sets a Webflow source\'s signing key through it (npm run sources -- sign)', async () => {
    const { source } = await createFormSource(handle.db, { name: 'Webflow site', provider: 'webflow' });
    const backend = await connectEmbedded({ dataDir, config: testConfig(), startWaitMs: 1000 });
    expect(await backend.sign('Webflow site', 'whsec_0123456789')).toMatchObject({ id: source.id });
    expect((await backend.show('Webflow site')).webhook_url).not.toContain('secret=');
    await expect(backend.sign('Webflow site', 'x')).rejects.toThrow('signing_secret');
    await backend.sign('Webflow site', null);
    expect((await backend.show('Webflow site')).webhook_url).toContain('secret=');
    await backend.close();
  });
});
