import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

/** Whether this machine can run a private Redis (tests that need one skip without it). */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** Starts redis-server on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** Kills it, as a crash would; resolves once the process has exited. */
  stop(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and nothing answers, like a hung server. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
  /** stop() and remove its directory. */
  close(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free loopback port, with no
 * persistence, so a test can take Redis away and bring it back without
 * touching the shared one.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'crm-redis-'));
  let proc: ChildProcess | null = null;
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      proc = spawn('redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      ], { stdio: 'ignore' });
      await waitFor(() => answersPing(port), { timeoutMs: 10_000, what: `redis-server on port ${port}` });
    },
    async stop() {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const exited = once(p, 'exit');
      p.kill('SIGKILL');
      await exited;
    },
    pause() { proc?.kill('SIGSTOP'); },
    resume() { proc?.kill('SIGCONT'); },
    async close() {
      redis.resume();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
