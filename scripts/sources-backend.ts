/**
 * Where `npm run sources` does its work: in a database it opens itself
 * (PostgreSQL, or the embedded one when no app holds it), or through the
 * control endpoint of the app that holds the embedded database
 * (http/routes/control.ts), since two processes must never open one
 * PGlite folder.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { pino } from 'pino';
import type { Config } from '../config.js';
import {
  createCore, createDb, createStore, DataDirInUseError, migrateToLatest, OPERATOR, readControlFile, readLockOwner,
  type ControlEndpoint, type DbHandle, type FormSource, type LockOwner, type SetAsideSubmission,
} from '../core/index.js';
import {
  CONTROL_PATH, toControlSource, type ControlSource, type ControlSourceAccess,
} from '../http/routes/control.js';

export type { ControlSource, ControlSourceAccess };

/** A listed source with its webhook URL without the secret. */
export type ListedSource = ControlSource & { webhook_url: string };

/** The four commands, whichever way they reach the data. Errors carry a message fit to print. */
export interface SourcesBackend {
  kind: 'direct' | 'control';
  add(p: { name: string; provider: string; leadSource: string | null }): Promise<ControlSourceAccess>;
  show(ref: string): Promise<ControlSourceAccess>;
  disable(ref: string): Promise<ControlSource>;
  /** Webflow, HubSpot: the key they sign with; null clears it. */
  sign(ref: string, signingSecret: string | null): Promise<ControlSource>;
  list(): Promise<ListedSource[]>;
  /** §11: submissions set aside after failing, newest first (at most 50). */
  failed(): Promise<SetAsideRow[]>;
  /** §11: queue a set-aside submission again. */
  replay(submissionId: number): Promise<void>;
  close(): Promise<void>;
}

/** A set-aside submission as the terminal shows it (dates as ISO text, as JSON carries them). */
export interface SetAsideRow { id: number; source_name: string; attempts: number; last_error: string | null; failed_at: string }
const toSetAsideRow = (s: SetAsideSubmission): SetAsideRow => ({
  id: s.id, source_name: s.source_name, attempts: s.attempts, last_error: s.last_error, failed_at: new Date(s.failed_at).toISOString(),
});

/** The app answered a control request with an error; message is its (core's) message. */
export class ControlRequestError extends Error {
  override name = 'ControlRequestError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * The live app holding the embedded database cannot be reached: its
 * control endpoint does not answer (url set), or it published none within
 * the wait (url null: still starting, or stuck before listening).
 */
export class AppNotAnsweringError extends Error {
  override name = 'AppNotAnsweringError';
  constructor(readonly dataDir: string, readonly owner: LockOwner, readonly url: string | null, detail: string) {
    const stop = `stop it (Ctrl-C in its terminal, or kill ${owner.pid}): with no app running, this command opens the folder itself`;
    super(url
      ? `The app (pid ${owner.pid}) holds the data folder ${dataDir} but does not answer at ${url} (${detail}). `
        + `If it has just started, wait for its http_listening log line and run this again; if it hangs, ${stop}.`
      : `The app (pid ${owner.pid}, ${owner.command}) holds the data folder ${dataDir} but has not started answering within ${detail}. `
        + `If it is still starting, wait for its http_listening log line and run this again; if it hangs, ${stop}.`);
  }
}

/**
 * The commands on a database this process opened (migrated first, as the
 * app does on start), through core as the operator; close() closes it,
 * releasing the embedded lock. config.PUBLIC_URL is the base of the printed
 * webhook URLs.
 */
export async function openDirectBackend(handle: DbHandle, config: Config): Promise<SourcesBackend> {
  const { db } = handle;
  try {
    await migrateToLatest(db);
  } catch (err) {
    await handle.close();
    throw err;
  }
  const store = createStore({});
  const { formSources, intake } = createCore({ db, store, config, logger: pino({ level: 'silent' }) });
  const access = (source: FormSource): ControlSourceAccess => ({
    source: toControlSource(source), webhook_url: formSources.urlOf(source), secret: source.secret,
  });
  return {
    kind: 'direct',
    add: async (p) => access((await formSources.create(OPERATOR, p)).source),
    show: async (ref) => access(await formSources.find(OPERATOR, ref)),
    disable: async (ref) => toControlSource(await formSources.disable(OPERATOR, ref)),
    sign: async (ref, secret) => toControlSource(await formSources.setSigningSecret(OPERATOR, ref, secret)),
    list: async () => (await formSources.list(OPERATOR)).map((s) => ({
      ...toControlSource(s), webhook_url: formSources.urlOf(s, { withSecret: false }),
    })),
    failed: async () => (await intake.failed(OPERATOR, { limit: 50 })).map(toSetAsideRow),
    replay: (id) => intake.replay(OPERATOR, id),
    close: async () => {
      await store.close();
      await handle.close();
    },
  };
}

export interface ConnectEmbeddedOptions {
  /** DATA_DIR. */
  dataDir: string;
  /** The settings, for the direct path (through the app, the app's own are used). */
  config: Config;
  /** How long to wait for a holder that has not published its control endpoint yet (an app starting up), in ms; default 30 000. */
  startWaitMs?: number;
  /** Time limit per control request, in ms; default 10 000. */
  requestTimeoutMs?: number;
  /** Called once if the wait begins (the CLI says so on stderr). */
  onWaiting?: (owner: LockOwner) => void;
}

const POLL_MS = 200;

/**
 * The embedded database, whoever holds it: through the control endpoint of
 * the live app holding DATA_DIR, else opened here (taking its lock, after
 * any other command holding it lets go). While the holding app has
 * published no endpoint yet (PGlite boot and migrations take seconds) it
 * polls until startWaitMs. Throws AppNotAnsweringError when the app cannot
 * be reached, DataDirInUseError when another command holds on too long.
 */
export async function connectEmbedded(options: ConnectEmbeddedOptions): Promise<SourcesBackend> {
  return reachEmbedded(options, {
    direct: (handle) => openDirectBackend(handle, options.config),
    control: (endpoint, timeoutMs) => controlBackend(endpoint, timeoutMs),
  });
}

/**
 * The embedded database, for any command: opened here (open → direct) when
 * no app holds DATA_DIR, else through the live app's control endpoint
 * (→ control). See connectEmbedded. Throws AppNotAnsweringError, DataDirInUseError.
 */
export async function reachEmbedded<T>(options: ConnectEmbeddedOptions, open: {
  direct: (handle: DbHandle) => Promise<T>;
  control: (endpoint: ControlEndpoint, requestTimeoutMs: number) => T;
}): Promise<T> {
  const startWaitMs = options.startWaitMs ?? 30_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const deadline = Date.now() + startWaitMs;
  let waiting = false;
  for (;;) {
    const owner = readLockOwner(options.dataDir);
    // Free, or held by another command for a few seconds (createDb waits for that one).
    if (!owner || owner.role === 'command') {
      try {
        return await open.direct(await createDb({ dataDir: options.dataDir, lockRole: 'command' }));
      } catch (err) {
        // An app took the folder between our look and our open: look again.
        if (err instanceof DataDirInUseError && err.owner.role === 'app') continue;
        throw err;
      }
    }
    const endpoint = readControlFile(options.dataDir);
    // The endpoint counts only if the lock's holder wrote it: a file left by
    // a crashed app (even one with the same pid) is ignored.
    if (endpoint && endpoint.pid === owner.pid && endpoint.started_at === owner.started_at) {
      const problem = await pingProblem(endpoint, Math.min(requestTimeoutMs, 5_000));
      if (!problem) return open.control(endpoint, requestTimeoutMs);
      throw new AppNotAnsweringError(options.dataDir, owner, endpoint.url, problem);
    }
    if (Date.now() >= deadline) {
      throw new AppNotAnsweringError(options.dataDir, owner, null, `${Math.round(startWaitMs / 1000)} s`);
    }
    if (!waiting) options.onWaiting?.(owner);
    waiting = true;
    await delay(POLL_MS);
  }
}

/**
 * The commands through the app's control endpoint (http/routes/control.ts).
 * Throws ControlRequestError for an error answer; fetch's own errors
 * (refused, timed out) propagate.
 */
export function controlBackend(endpoint: ControlEndpoint, requestTimeoutMs: number): SourcesBackend {
  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(`${CONTROL_PATH}${path}`, endpoint.url), {
      method,
      headers: {
        authorization: `Bearer ${endpoint.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const data = (await res.json().catch(() => ({}))) as { message?: unknown };
    if (!res.ok) {
      throw new ControlRequestError(res.status, typeof data.message === 'string' ? data.message : `The app answered ${res.status}`);
    }
    return data as T;
  }
  return {
    kind: 'control',
    add: (p) => call('POST', '/sources', { name: p.name, provider: p.provider, lead_source: p.leadSource }),
    show: (ref) => call('GET', `/sources/show?${new URLSearchParams({ ref })}`),
    disable: async (ref) => (await call<{ source: ControlSource }>('POST', '/sources/disable', { ref })).source,
    sign: async (ref, secret) => (await call<{ source: ControlSource }>('POST', '/sources/sign', { ref, signing_secret: secret })).source,
    list: async () => (await call<{ sources: ListedSource[] }>('GET', '/sources')).sources,
    failed: async () => (await call<{ submissions: SetAsideRow[] }>('GET', '/intake/failed')).submissions,
    replay: async (id) => { await call('POST', '/intake/replay', { submission_id: id }); },
    close: async () => {},
  };
}

/** Why the endpoint cannot be used ('ECONNREFUSED', 'timed out', 'HTTP 401', 'answered as pid N'), or null when it answers as its holder. */
async function pingProblem(endpoint: ControlEndpoint, timeoutMs: number): Promise<string | null> {
  try {
    const res = await fetch(new URL(CONTROL_PATH, endpoint.url), {
      headers: { authorization: `Bearer ${endpoint.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return `HTTP ${res.status}`;
    const { pid } = (await res.json()) as { pid?: unknown };
    return pid === endpoint.pid ? null : `answered as pid ${String(pid)}`;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    return typeof code === 'string' ? code : String(err);
  }
}
