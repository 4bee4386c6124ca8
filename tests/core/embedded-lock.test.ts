import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../core/create-db.js';
import {
  acquireDataDirLock, currentProcessOwner, DataDirInUseError, LOCK_FILE, readLockOwner, type LockOwner,
} from '../../core/embedded-lock.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-lock-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A pid that certainly ran and has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

function writeLock(dir: string, owner: Partial<LockOwner>): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({
    pid: process.pid, role: 'app', started_at: new Date().toISOString(), command: 'main.ts', ...owner,
  }));
}

describe('the data-folder lock', () => {
  it('is exclusive: a second taker gets DataDirInUseError naming the holder, and can take it once released', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir);
    expect(readLockOwner(dir)).toMatchObject({ pid: process.pid, role: 'app' });

    const second = await acquireDataDirLock(dir).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DataDirInUseError);
    expect((second as DataDirInUseError).owner.pid).toBe(process.pid);
    expect((second as DataDirInUseError).message).toContain(`in use by process ${process.pid}`);

    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(readLockOwner(dir)).toBeNull();
    (await acquireDataDirLock(dir)).release();
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid() });
    expect(readLockOwner(dir)).toBeNull();
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over a lock left by an earlier process with our pid (a restarted container is pid 1 again)', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid, started_at: '2020-01-01T00:00:00.000Z' });
    const lock = await acquireDataDirLock(dir);
    expect(lock.owner.started_at).toBe(currentProcessOwner().started_at);
    lock.release();
  });

  it('waits for a command holder to let go, but not for an app', async () => {
    const dir = freshDir();
    const command = await acquireDataDirLock(dir, { role: 'command' });
    const waiting = acquireDataDirLock(dir, { role: 'app', commandWaitMs: 10_000 });
    // The waiter polls; it gets the lock once the command releases it.
    command.release();
    const app = await waiting;
    expect(readLockOwner(dir)?.role).toBe('app');

    const started = Date.now();
    await expect(acquireDataDirLock(dir, { role: 'command', commandWaitMs: 10_000 })).rejects.toBeInstanceOf(DataDirInUseError);
    expect(Date.now() - started).toBeLessThan(1_000);
    app.release();
  });

  it('gives up on a command holder after commandWaitMs', async () => {
    const dir = freshDir();
    const command = await acquireDataDirLock(dir, { role: 'command' });
    await expect(acquireDataDirLock(dir, { commandWaitMs: 300 })).rejects.toMatchObject({ code: 'DATA_DIR_IN_USE' });
    command.release();
  });

  it('refuses while another live process holds it', async () => {
    const dir = freshDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeLock(dir, { pid: child.pid! });
      await expect(acquireDataDirLock(dir)).rejects.toMatchObject({ owner: { pid: child.pid } });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('release() leaves a lock that is no longer ours alone', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir);
    writeLock(dir, { pid: 1, command: 'someone else' });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});

describe('createDb on a data folder', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('holds the folder from open to close, so a second open fails instead of corrupting it', async () => {
    const dir = freshDir();
    const first = await createDb({ dataDir: dir });
    close = first.close;
    expect(readLockOwner(dir)).toMatchObject({ pid: process.pid, role: 'app' });
    await expect(createDb({ dataDir: dir })).rejects.toBeInstanceOf(DataDirInUseError);
    await first.close();
    close = undefined;
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 60_000);

});
