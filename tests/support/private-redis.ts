import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from './poll.js';

/**
 * A redis-server of the test's own, on a free loopback port, with nothing
 * persisted (--save "" --appendonly no) in a temp dir of its own. Fault tests
 * stop and start it to take Redis away from the app for real; the shared
 * Redis other tests use is never touched. start() comes back on the same
 * port, so clients reconnect to the same URL.
 */

export interface PrivateRedis {
  readonly port: number;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  running(): boolean;
  /** Sends `signal` (default SIGTERM), escalates to SIGKILL after 2 s, and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts again on the same port and waits until PING answers. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and nothing answers, like a hung server. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
  /** Stops it and removes its temp dir. */
  close(): Promise<void>;
}

/** Whether `redis-server` is on PATH (self-tests skip without it). */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startPrivateRedis(options: { timeoutMs?: number } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'crm-redis-'));
  const timeoutMs = options.timeoutMs ?? 5000;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  async function start(): Promise<void> {
    if (child) return;
    const output: string[] = [];
    const proc = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', dir, '--logfile', '',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    live.add(proc);
    proc.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    proc.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    let exitInfo: string | undefined;
    exited = new Promise((resolve) => proc.once('exit', (code, signal) => {
      exitInfo = `redis-server exited (code ${code}, signal ${signal}): ${output.join('').slice(-500)}`;
      live.delete(proc);
      if (child === proc) child = null;
      resolve();
    }));
    await pollUntil(async () => ((await ping(port)) ? true : undefined), {
      what: `redis-server on port ${port} to answer PING`, timeoutMs, intervalMs: 20, abortReason: () => exitInfo,
    });
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const proc = child;
    if (!proc) return;
    proc.kill(signal);
    const escalate = setTimeout(() => proc.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(escalate);
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    running: () => child !== null,
    stop,
    start,
    pause: () => { child?.kill('SIGSTOP'); },
    resume: () => { child?.kill('SIGCONT'); },
    async close() {
      child?.kill('SIGCONT');
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when a PING on a fresh connection gets +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** A port nobody listens on now: the OS picks one, we release it for redis-server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
