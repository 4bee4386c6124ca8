import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAppProcess, startAppProcess, type AppProcess } from '../app-process.js';
import { createTestDatabase } from '../test-db.js';

// The real app in a child process: started without a bot on a port the OS
// picks, ready when /health answers, and ended by SIGTERM like an
// orchestrator would end it.

describe('the app as a child process', () => {
  let app: AppProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startAppProcess({
      env: {
        JOBS_ENABLED: 'false',
        ...(database.databaseUrl ? { DATABASE_URL: database.databaseUrl } : { DATA_DIR: database.dataDir! }),
      },
      // On PGlite the child migrates a fresh database first, which takes long on a busy machine.
      timeoutMs: 50_000,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.drop();
  });

  it('listens on the port in its http_listening line and answers /health', async () => {
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(app.url).not.toMatch(/:0$/);
    const res = await fetch(`${app.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ components: { database: { status: 'healthy' } } });
    const events = app.logs().map((l) => l.msg);
    expect(events).toEqual(expect.arrayContaining(['database_ready', 'store_ready', 'http_listening']));
    expect(events.some((m) => m.startsWith('bot_disabled'))).toBe(true);
  });

  it('SIGTERM stops it cleanly: exit code 0 after its "stopped" line', async () => {
    app.signal('SIGTERM');
    const exit = await app.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeGreaterThanOrEqual(0);
    // By the lines' own clocks: stdout and stderr are read apart, so their
    // interleaving is not the order the app wrote them in.
    const byTime = [...app.logs()].sort((a, b) => a.time - b.time).map((l) => l.msg);
    expect(byTime.filter((m) => m === 'stopping' || m === 'stopped')).toEqual(['stopping', 'stopped']);
    expect(byTime.at(-1)).toBe('stopped');
    await expect(fetch(`${app.url}/health`)).rejects.toThrow();
  });

  it('kill9() ends a process at once, reported as SIGKILL', async () => {
    const doomed = spawnAppProcess();
    doomed.kill9();
    expect(await doomed.exited).toMatchObject({ code: null, signal: 'SIGKILL' });
  });
});
