import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import { CONTROL_FILE, createControlFile } from '../../core/embedded-control.js';
import { acquireDataDirLock, type DataDirLock } from '../../core/embedded-lock.js';
import { localUrlFor, startHttpServer, type HttpServer } from '../../http/app.js';
import { CONTROL_PATH, createControlRoutes } from '../../http/routes/control.js';
import { AppNotAnsweringError, connectEmbedded } from '../../scripts/sources-backend.js';
import { buildApp, testConfig } from '../http/http-harness.js';
import { createTestDb } from '../support/test-db.js';
import { createTestCore } from '../support/test-core.js';
import { createTestStore } from '../support/test-store.js';

// How `npm run sources` finds its way to the data when this process plays
// the app holding the folder: the lock and control.json are real, and so
// is the control endpoint, served on loopback.

const PUBLIC_URL = 'https://crm.example.com';
const dataDir = mkdtempSync(join(tmpdir(), 'crm-sources-'));
let lock: DataDirLock;

beforeAll(async () => {
  lock = await acquireDataDirLock(dataDir, { role: 'app' });
});

afterAll(() => {
  lock?.release();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('npm run sources on the embedded database while an app holds it', () => {
  it('when the app has published no endpoint yet, waits for it, then says who holds the folder and what to do', async () => {
    let waitedFor: number | undefined;
    const started = Date.now();
    const err = await connectEmbedded({
      dataDir, config: testConfig({ PUBLIC_URL }), startWaitMs: 400, onWaiting: (owner) => { waitedFor = owner.pid; },
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(waitedFor).toBe(process.pid);
    expect(err).toBeInstanceOf(AppNotAnsweringError);
    expect((err as Error).message).toContain(`The app (pid ${process.pid}`);
    expect((err as Error).message).toContain(`holds the data folder ${dataDir}`);
    expect((err as Error).message).toContain('wait for its http_listening log line');
    expect((err as Error).message).toContain(`kill ${process.pid}`);
  });

  it('ignores a control.json the lock holder did not write (left by a crashed app)', async () => {
    writeFileSync(join(dataDir, CONTROL_FILE), JSON.stringify({
      pid: process.pid, started_at: '2020-01-01T00:00:00.000Z', url: 'http://127.0.0.1:9', token: 'old',
    }));
    const err = await connectEmbedded({ dataDir, config: testConfig({ PUBLIC_URL }), startWaitMs: 200 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ url: null });
    rmSync(join(dataDir, CONTROL_FILE));
  });

  it('when the app does not answer at its published URL, fails at once naming the pid and the URL', async () => {
    const control = createControlFile({ dataDir });
    const url = `http://127.0.0.1:${await closedPort()}`;
    control.publish(url);
    try {
      const started = Date.now();
      const err = await connectEmbedded({ dataDir, config: testConfig({ PUBLIC_URL }), startWaitMs: 30_000 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(err).toBeInstanceOf(AppNotAnsweringError);
      expect((err as Error).message).toContain(`The app (pid ${process.pid}) holds the data folder ${dataDir} but does not answer at ${url} (ECONNREFUSED)`);
    } finally {
      control.unpublish();
    }
  });

  describe('when the app answers', () => {
    let handle: DbHandle;
    let server: HttpServer;
    const store = createTestStore();
    const control = createControlFile({ dataDir });

    beforeAll(async () => {
      handle = await createTestDb();
      const core = createTestCore(handle, store, { PUBLIC_URL });
      const { app } = buildApp({
        handle, store, core,
        routes: [{ path: CONTROL_PATH, app: createControlRoutes({ core, token: control.token, pid: process.pid }) }],
      });
      server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
      control.publish(localUrlFor('127.0.0.1', server.port));
    });

    afterAll(async () => {
      control.unpublish();
      await server?.close();
      await handle?.close();
      await store.close();
    });

    it('does every command through it, with the app\'s PUBLIC_URL in the URLs', async () => {
      const backend = await connectEmbedded({ dataDir, config: testConfig({ PUBLIC_URL: 'http://ignored.example' }), startWaitMs: 1_000 });
      expect(backend.kind).toBe('control');
      const added = await backend.add({ name: 'landing', provider: 'generic', leadSource: null });
      expect(added.webhook_url).toBe(`${PUBLIC_URL}/webhooks/forms/${added.webhook_url.split('/').at(-1)!.split('?')[0]}?secret=${added.secret}`);
      expect(await backend.show('LANDING')).toEqual(added);
      expect((await backend.list()).map((s) => s.name)).toEqual(['landing']);
      expect(await backend.disable(String(added.source.id))).toMatchObject({ is_active: false });
      // Core's refusal, word for word, as the direct path would print it.
      await expect(backend.add({ name: 'landing', provider: 'generic', leadSource: null }))
        .rejects.toThrow('name: a form source named "landing" already exists');
      await expect(backend.show('nope')).rejects.toThrow('form_source nope not found');
      // Names travel as data, not as path segments a URL parser would normalise.
      const dots = await backend.add({ name: '..', provider: 'tilda', leadSource: 'SOCIAL' });
      expect(await backend.show('..')).toEqual(dots);
      expect(await backend.disable('..')).toMatchObject({ name: '..', is_active: false });
      await backend.close();
    });

    it('lists what intake set aside and replays it (§11, issue 14)', async () => {
      const backend = await connectEmbedded({ dataDir, config: testConfig({ PUBLIC_URL }), startWaitMs: 1_000 });
      expect(await backend.failed()).toEqual([]);
      const { source } = await backend.add({ name: 'failing form', provider: 'generic', leadSource: null });
      const row = await handle.db.insertInto('intake_submissions').values({
        form_source_id: source.id, external_id: null, payload_hash: 'h', content_type: 'application/json', raw_body: '{}',
        lead_id: null, outcome: null, last_error: 'UNPROCESSABLE: no contact', duplicate_of: null, status: 'failed', attempts: 5,
      }).returning('id').executeTakeFirstOrThrow();
      expect(await backend.failed()).toEqual([{
        id: row.id, source_name: 'failing form', attempts: 5, last_error: 'UNPROCESSABLE: no contact', failed_at: expect.any(String),
      }]);
      await backend.replay(row.id);
      expect(await handle.db.selectFrom('intake_submissions').select(['status', 'attempts']).where('id', '=', row.id).executeTakeFirstOrThrow())
        .toEqual({ status: 'pending', attempts: 0 });
      await expect(backend.replay(row.id)).rejects.toThrow(`intake_submission ${row.id} not found`);
      await backend.close();
    });
  });
});
