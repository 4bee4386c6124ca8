import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { configSchema } from '../../config.js';
import { pollUntil } from './poll.js';

/**
 * The real app as a child process (`node --import tsx main.ts`), for fault
 * tests that need what only a process has: kill -9, SIGTERM, a restart on the
 * same data. Its JSON log lines (pino; NODE_ENV=test) are captured and parsed,
 * so a test waits for events ("http_listening", "bot_started") instead of
 * sleeping. The child's config is only what the test gives plus safe
 * defaults: no app variable is inherited from the test process (a developer's
 * BOT_TOKEN must never reach real Telegram from a test). Every child is
 * killed after the test file and when the test process exits.
 */

export interface LogLine {
  level: number;
  time: number;
  msg: string;
  [field: string]: unknown;
}

export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the first signal the test sent to the exit; null when the app exited by itself. */
  ms: number | null;
  uptimeMs: number;
}

export interface AppProcessOptions {
  /** App environment on top of the defaults (NODE_ENV=test, LOG_LEVEL=info, HOST=127.0.0.1, PORT=0, a temp DATA_DIR). */
  env?: Record<string, string>;
  /** When start resolves: once /health answers (default), or once this log msg appears after http_listening. */
  ready?: 'health' | { log: string };
  /** For readiness; default 30 s (tsx compiles the app at start; PGlite on a fresh DATA_DIR migrates for seconds). */
  timeoutMs?: number;
}

export interface AppProcess {
  readonly pid: number;
  /** http://127.0.0.1:<port>, from the http_listening line; throws before it was logged. */
  readonly url: string;
  /** Parsed JSON log lines so far, both streams, in order. */
  logs(): LogLine[];
  /** Every output line so far (JSON or not), for failure messages. */
  output(): string[];
  /** The first log line (already seen or still to come) whose msg is `msg` or that matches. Rejects if the app exits first. */
  waitForLog(msg: string | ((line: LogLine) => boolean), timeoutMs?: number): Promise<LogLine>;
  signal(sig: NodeJS.Signals): void;
  kill9(): void;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs` (default 10 s); resolves with the exit. */
  stop(graceMs?: number): Promise<AppExit>;
  readonly exited: Promise<AppExit>;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const running = new Set<AppProcess>();

process.once('exit', () => {
  for (const app of running) app.kill9();
});
// Registered on the importing test file, so a test that forgets stop() does not leave an app behind.
if (process.env.VITEST) afterAll(() => Promise.all([...running].map((app) => app.stop(2000))).then(() => undefined));

/** Starts the app and resolves when it is ready (see AppProcessOptions.ready); on failure, kills it and says why. */
export async function startAppProcess(options: AppProcessOptions = {}): Promise<AppProcess> {
  const app = spawnAppProcess(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await app.waitForLog('http_listening', timeoutMs);
    const ready = options.ready ?? 'health';
    if (ready === 'health') {
      await pollUntil(async () => (await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(1000) })).status, {
        what: `${app.url}/health to answer`, timeoutMs, intervalMs: 50,
      });
    } else {
      await app.waitForLog(ready.log, timeoutMs);
    }
    return app;
  } catch (err) {
    app.kill9();
    await app.exited;
    throw new Error(`${(err as Error).message}\n--- app output ---\n${app.output().slice(-30).join('\n')}`);
  }
}

/** Spawns the app without waiting for anything (e.g. to watch it fail to start). */
export function spawnAppProcess(options: AppProcessOptions = {}): AppProcess {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(configSchema.shape)) delete env[key];
  // Never the app's default ./data in the repository: a temp dir of its own unless the test brings one.
  const ownDataDir = options.env?.DATA_DIR ? null : mkdtempSync(join(tmpdir(), 'crm-app-'));
  Object.assign(env, {
    NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0',
    ...options.env,
    DATA_DIR: options.env?.DATA_DIR || ownDataDir,
  });

  const startedAt = Date.now();
  let signalledAt: number | null = null;
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const parsed: LogLine[] = [];
  const events = new EventEmitter().setMaxListeners(0);
  let hasExited = false;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      const log = parseLogLine(line);
      if (log) {
        parsed.push(log);
        events.emit('log', log);
      }
    });
  }

  const exited = new Promise<AppExit>((resolve) => {
    // 'close', not 'exit': by then every output line has been read.
    child.once('close', (code, signal) => {
      hasExited = true;
      running.delete(app);
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      const now = Date.now();
      resolve({ code, signal, ms: signalledAt === null ? null : now - signalledAt, uptimeMs: now - startedAt });
      events.emit('exit');
    });
  });

  const send = (sig: NodeJS.Signals) => {
    if (hasExited) return;
    signalledAt ??= Date.now();
    child.kill(sig);
  };

  const app: AppProcess = {
    pid: child.pid!,
    get url() {
      const listening = parsed.find((l) => l.msg === 'http_listening');
      if (typeof listening?.url !== 'string') throw new Error('the app has not logged http_listening yet');
      return listening.url;
    },
    logs: () => [...parsed],
    output: () => [...lines],
    waitForLog(msg, timeoutMs = 10_000) {
      const matches = typeof msg === 'string' ? (l: LogLine) => l.msg === msg : msg;
      const seen = parsed.find(matches);
      if (seen) return Promise.resolve(seen);
      const what = typeof msg === 'string' ? `log "${msg}"` : 'a matching log line';
      return new Promise((resolve, reject) => {
        const onLog = (l: LogLine) => {
          if (matches(l)) finish(() => resolve(l));
        };
        const onExit = () => finish(() => reject(new Error(`the app exited before ${what}`)));
        const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} within ${timeoutMs} ms`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          events.off('log', onLog).off('exit', onExit);
          settle();
        };
        events.on('log', onLog).on('exit', onExit);
        if (hasExited) onExit();
      });
    },
    signal: send,
    kill9: () => send('SIGKILL'),
    async stop(graceMs = 10_000) {
      send('SIGTERM');
      const escalate = setTimeout(() => send('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(escalate);
      return exit;
    },
    exited,
  };
  running.add(app);
  return app;
}

function parseLogLine(line: string): LogLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as Partial<LogLine>;
    return typeof value.msg === 'string' ? (value as LogLine) : null;
  } catch {
    return null;
  }
}

/**
 * After a failed test, prints the last lines of each app process's output,
 * so a CI log shows what the app said (its logs never hold contacts or secrets).
 */
export function printAppOutputOnFailure(apps: () => readonly (AppProcess | undefined)[], lines = Number(process.env.FAULT_LOG_LINES ?? 60)): void {
  afterEach((ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const app of apps()) {
      if (app) console.error(`--- app ${app.pid}, last ${lines} lines ---\n${app.output().slice(-lines).map((l) => l.slice(0, 600)).join('\n')}`);
    }
  });
}
