import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { showSpread, spreadOf, type Spread } from './stats.js';

const ROOT = new URL('..', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** ms from spawning `args` until GET url answers 200 (any body: /health says "degraded" without an AI key, §15). */
async function timeToAnswer(args: string[], env: NodeJS.ProcessEnv, url: (port: number) => string, method = 'GET'): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    for (;;) {
      if (performance.now() - started > 60_000) throw new Error(`${args.join(' ')} did not answer within 60 s`);
      try {
        const res = await fetch(url(port), { method, signal: AbortSignal.timeout(1_000) });
        if (res.status === 200 || res.status === 201) return performance.now() - started;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGKILL');
  }
}

export interface StartupFigures { app: Spread; bare: Spread }

/**
 * §15 the embedded default: `node --import tsx main.ts` with no DATABASE_URL
 * and no REDIS_URL (PGlite in a fresh data folder, migrated on start, the
 * in-process store) until /health answers 200, beside the ceiling: the same
 * node + tsx starting a bare Hono server (bench/server.ts baseline) until it answers.
 */
export async function benchStartup(rounds: number): Promise<StartupFigures> {
  const app: number[] = []; const bare: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-startup-'));
    try {
      app.push(await timeToAnswer(['--import', 'tsx', 'main.ts'], {
        DATABASE_URL: '', REDIS_URL: '', BOT_TOKEN: '', DATA_DIR: dataDir, HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'silent',
      }, (port) => `http://127.0.0.1:${port}/health`));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    bare.push(await timeToAnswer(['--import', 'tsx', '--input-type=module', '-e', `
      const { Hono } = await import('hono'); const { serve } = await import('@hono/node-server');
      const app = new Hono(); app.get('/', (c) => c.text('ok'));
      serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });`], {}, (port) => `http://127.0.0.1:${port}/`));
  }
  return { app: spreadOf(app), bare: spreadOf(bare) };
}

export function startupReport(s: StartupFigures): string[] {
  return [
    `\nStart-up, embedded default (PGlite in a fresh folder, migrations, in-process store) to /health 200, ${s.app.rounds} rounds`,
    `  app                : ${showSpread(s.app, 0, 'ms')}   (goal ≤ 3,000 ms)`,
    `  bare node+tsx+Hono : ${showSpread(s.bare, 0, 'ms')}   app/bare ${(s.app.median / s.bare.median).toFixed(1)}x`,
  ];
}
