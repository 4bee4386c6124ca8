import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** The lock file inside DATA_DIR; whoever holds it is the only one with the embedded database open. */
export const LOCK_FILE = 'pglite.lock';

/**
 * What a holder does with the folder: 'app' keeps it while it runs (npm
 * start); 'command' lets go within seconds (npm run sources, migrate), so
 * others wait for it rather than fail.
 */
export type LockRole = 'app' | 'command';

/** Who holds a data folder: enough to tell whether they still run and to name them in a message. */
export interface LockOwner {
  pid: number;
  role: LockRole;
  /** When the owner process started (ISO 8601, from performance.timeOrigin); tells a reused pid apart. */
  started_at: string;
  /** The owner's script and arguments, e.g. "main.ts" or "sources.ts add landing generic". */
  command: string;
}

export interface DataDirLock {
  /** Absolute or relative path of the lock file. */
  path: string;
  owner: LockOwner;
  /** Deletes the lock file if it is still ours; idempotent. */
  release(): void;
}

/**
 * A second process (or a second open in this one) asked for a data folder
 * someone else holds. PGlite does not guard its folder itself, and two
 * openers corrupt it, so this is raised instead of a second open.
 */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  readonly code = 'DATA_DIR_IN_USE';
  constructor(readonly dataDir: string, readonly owner: LockOwner) {
    super(`The embedded database in ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${owner.started_at}). `
      + `Only one process can open it at a time: stop that process first. If no such process is running, delete ${join(dataDir, LOCK_FILE)}.`);
  }
}

/** The identity this process writes into a lock (pid and started_at also into control.json). */
export function currentProcessOwner(role: LockRole = 'app'): LockOwner {
  const [, script = '', ...args] = process.argv;
  return {
    pid: process.pid,
    role,
    started_at: new Date(performance.timeOrigin).toISOString(),
    command: [basename(script), ...args].join(' ').slice(0, 200),
  };
}

/**
 * True while a process with this pid exists. EPERM means it exists but
 * belongs to another user, which still holds the folder.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The live owner of dataDir's lock, or null when there is no lock or it is
 * stale (its process is gone, or it is this pid from an earlier process
 * life, as after a container restart where the app is pid 1 every time).
 * An unreadable lock counts as stale: it is only written whole (see acquire).
 */
export function readLockOwner(dataDir: string): LockOwner | null {
  const owner = readOwnerFile(join(dataDir, LOCK_FILE))?.owner;
  return owner && isLive(owner) ? owner : null;
}

export interface AcquireOptions {
  /** What this process will do with the folder; default 'app'. */
  role?: LockRole;
  /** How long to wait for a 'command' holder to let go, in ms; default 30 000. An 'app' holder is never waited for. */
  commandWaitMs?: number;
}

// Often enough that a command's release is noticed at once, rarely enough to cost nothing.
const WAIT_POLL_MS = 100;

/**
 * Takes the exclusive lock on dataDir (which must exist): creates
 * `dataDir/pglite.lock` holding this process's pid, role, start time and
 * command. A stale lock is taken over; a live 'command' holder is waited
 * for (so `npm start` typed right after `npm run sources` still starts).
 * Throws DataDirInUseError when a live process (this one included) holds
 * it: an 'app' at once, a 'command' after commandWaitMs.
 */
export async function acquireDataDirLock(dataDir: string, options: AcquireOptions = {}): Promise<DataDirLock> {
  const deadline = Date.now() + (options.commandWaitMs ?? 30_000);
  for (;;) {
    try {
      return tryDataDirLock(dataDir, options.role ?? 'app');
    } catch (err) {
      if (!(err instanceof DataDirInUseError) || err.owner.role !== 'command' || Date.now() >= deadline) throw err;
    }
    await delay(WAIT_POLL_MS);
  }
}

/**
 * One attempt at the lock, synchronous, so nothing else of this process
 * runs between the check and the create. Throws DataDirInUseError.
 */
function tryDataDirLock(dataDir: string, role: LockRole): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const owner = currentProcessOwner(role);
  const content = `${JSON.stringify(owner)}\n`;
  // Written in full under a private name, then hard-linked into place:
  // link(2) fails when the name exists, so creation is exclusive and a
  // reader never sees a half-written lock.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, content, { flag: 'wx', mode: 0o644 });
  try {
    takeLockFile(dataDir, path, draft);
  } finally {
    unlinkIfExists(draft);
  }
  return {
    path,
    owner,
    release() {
      if (readOwnerFile(path)?.raw === content) unlinkIfExists(path);
    },
  };
}

// Few rounds: each one either links, finds a live owner, or removes a stale
// file; only a crowd of processes racing for one folder needs more.
const TAKE_ATTEMPTS = 5;

function takeLockFile(dataDir: string, path: string, draft: string): void {
  for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
    try {
      linkSync(draft, path);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const existing = readOwnerFile(path);
    if (!existing) continue; // released meanwhile
    if (existing.owner && isLive(existing.owner)) throw new DataDirInUseError(dataDir, existing.owner);
    // Stale. Re-read just before deleting so only the file judged stale is
    // deleted, not one a concurrent taker linked since (the window is two
    // synchronous calls, and stale takeovers only follow a crash).
    if (readOwnerFile(path)?.raw === existing.raw) unlinkIfExists(path);
  }
  throw new Error(`Could not take the lock ${path}: other processes keep racing for it`);
}

function isLive(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return owner.started_at === currentProcessOwner().started_at;
  return isProcessAlive(owner.pid);
}

function readOwnerFile(path: string): { raw: string; owner: LockOwner | null } | null {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return { raw, owner: parseOwner(raw) };
}

function parseOwner(raw: string): LockOwner | null {
  try {
    const v = JSON.parse(raw) as Partial<LockOwner>;
    return Number.isSafeInteger(v.pid) && (v.pid as number) > 0 && typeof v.started_at === 'string'
      ? {
        pid: v.pid as number,
        // Unknown roles are not waited for: failing fast beats waiting on an app.
        role: v.role === 'command' ? 'command' : 'app',
        started_at: v.started_at,
        command: typeof v.command === 'string' ? v.command : '?',
      }
      : null;
  } catch {
    return null;
  }
}

function unlinkIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
