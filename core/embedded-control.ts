import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentProcessOwner } from './embedded-lock.js';

/**
 * Inside DATA_DIR: how a command-line tool reaches the running app that
 * holds the embedded database, since it must not open the folder itself
 * while the app does (core/embedded-lock.ts).
 */
export const CONTROL_FILE = 'control.json';

/** The content of control.json. */
export interface ControlEndpoint {
  /** The app's pid: the same as in its pglite.lock. */
  pid: number;
  /** The app's process start (ISO 8601), as in its lock: tells a reused pid apart. */
  started_at: string;
  /** Loopback base URL of the app's HTTP server, e.g. http://127.0.0.1:3000 (the control routes are under /control). */
  url: string;
  /** Bearer token for the control routes: 32 random bytes, base64url. */
  token: string;
}

export interface ControlFile {
  /** The token to require on the control routes. */
  readonly token: string;
  /** Writes control.json (mode 0600) for the server listening at url; call once it listens. */
  publish(url: string): void;
  /** Deletes control.json if it is still ours; idempotent. */
  unpublish(): void;
}

/**
 * The running app's side of control.json: a fresh token now, the file
 * once the server listens, and its removal on close. The caller must hold
 * the data folder's lock, so no one else writes the file meanwhile.
 */
export function createControlFile(options: { dataDir: string }): ControlFile {
  const path = join(options.dataDir, CONTROL_FILE);
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    publish(url) {
      const { pid, started_at } = currentProcessOwner();
      const endpoint: ControlEndpoint = { pid, started_at, url, token };
      // Mode 0600: the token is as good as write access to the data. Written
      // aside and renamed, so a reader sees the old file or the whole new one.
      const draft = `${path}.${pid}.tmp`;
      writeFileSync(draft, `${JSON.stringify(endpoint)}\n`, { mode: 0o600 });
      renameSync(draft, path);
    },
    unpublish() {
      if (readControlFile(options.dataDir)?.token !== token) return;
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
  };
}

/**
 * control.json of dataDir, or null when there is none (or it is not one of
 * ours). Whether its process still runs is the caller's question: compare
 * pid and started_at with the lock's owner (readLockOwner).
 * Throws only for I/O errors other than "no such file".
 */
export function readControlFile(dataDir: string): ControlEndpoint | null {
  let raw: string;
  try {
    raw = readFileSync(join(dataDir, CONTROL_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const v = JSON.parse(raw) as Partial<ControlEndpoint>;
    return Number.isSafeInteger(v.pid) && typeof v.started_at === 'string'
      && typeof v.url === 'string' && typeof v.token === 'string'
      ? { pid: v.pid as number, started_at: v.started_at, url: v.url, token: v.token }
      : null;
  } catch {
    return null;
  }
}
