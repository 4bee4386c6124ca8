import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePgliteTemplate } from '../core/pglite-template.js';
import { fmt, showSpread, spreadOf, type Spread } from './stats.js';

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
    // Stopped as an operator would (SIGTERM), so a restart on the same folder finds it closed cleanly.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** ms for node to create a PGlite database in a fresh folder and answer `select 1`: initdb, which no app start can skip. */
async function pgliteInitMs(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(${JSON.stringify(join(dataDir, 'pglite'))});
    await db.query('select 1'); await db.close();`], { cwd: ROOT, stdio: 'ignore' });
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`PGlite did not start in ${dataDir} (exit ${String(code)})`);
  return performance.now() - started;
}

export interface StartupFigures {
  /** First start: a fresh data folder (initdb, every migration). */
  app: Spread;
  /** Every start after: the same folder, already set up. */
  restart: Spread;
  bare: Spread;
  /** PGlite alone in a fresh folder: the floor of a first start. */
  initdb: Spread;
}

/**
 * §15 the embedded default: `node --import tsx main.ts` with no DATABASE_URL
 * and no REDIS_URL (PGlite in a fresh data folder — a copy of the template
 * npm ci builds — migrated on start, the in-process store) until /health
 * answers 200, then again on the same folder (a restart), beside the
 * ceilings: PGlite alone creating a fresh folder (initdb, what a first start
 * without the template runs) and the same node + tsx starting a bare Hono server.
 */
export async function benchStartup(rounds: number): Promise<StartupFigures> {
  await ensurePgliteTemplate();
  const app: number[] = []; const restart: number[] = []; const bare: number[] = []; const initdb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-startup-'));
    const start = () => timeToAnswer(['--import', 'tsx', 'main.ts'], {
      DATABASE_URL: '', REDIS_URL: '', BOT_TOKEN: '', DATA_DIR: dataDir, HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'silent',
    }, (port) => `http://127.0.0.1:${port}/health`);
    try {
      app.push(await start());
      restart.push(await start());
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const pgliteDir = mkdtempSync(join(tmpdir(), 'crm-initdb-'));
    try {
      initdb.push(await pgliteInitMs(pgliteDir));
    } finally {
      rmSync(pgliteDir, { recursive: true, force: true });
    }
    bare.push(await timeToAnswer(['--import', 'tsx', '--input-type=module', '-e', `
      const { Hono } = await import('hono'); const { serve } = await import('@hono/node-server');
      const app = new Hono(); app.get('/', (c) => c.text('ok'));
      serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });`], {}, (port) => `http://127.0.0.1:${port}/`));
  }
  return { app: spreadOf(app), restart: spreadOf(restart), bare: spreadOf(bare), initdb: spreadOf(initdb) };
}

export function startupReport(s: StartupFigures): string[] {
  return [
    `\nStart-up, embedded default (PGlite in a fresh folder, migrations, in-process store) to /health 200, ${s.app.rounds} rounds`,
    `  app, first start   : ${showSpread(s.app, 0, 'ms')}   (a copy of the template npm ci built; goal ≤ 3,000 ms)`,
    `  PGlite initdb alone: ${showSpread(s.initdb, 0, 'ms')}   (node + a fresh PGlite folder: what a first start without the template runs first)`,
    `  app, restart       : ${showSpread(s.restart, 0, 'ms')}   (the same folder again; goal ≤ 3,000 ms)`,
    `  bare node+tsx+Hono : ${showSpread(s.bare, 0, 'ms')}   first start − restart ${fmt(s.app.median - s.restart.median, 0)} ms: the template's copy and first open`,
  ];
}
