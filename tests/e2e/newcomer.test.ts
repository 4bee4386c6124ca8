import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../config.js';
import { createDb } from '../../core/create-db.js';
import { CONTROL_FILE, readControlFile } from '../../core/embedded-control.js';
import { LOCK_FILE } from '../../core/embedded-lock.js';

// The README's Set-up, word for word, as real processes on a fresh folder
// with no configuration: `npm start` in one terminal, `npm run sources --
// add landing generic` in another, then the printed URL takes the curl.
// Only what a test must pin is set: a temp DATA_DIR, a free PORT (and the
// PUBLIC_URL that goes with it) and JSON logs to read.

const ROOT = join(import.meta.dirname, '..', '..');
// npm start on a fresh folder boots PGlite, creates and migrates it: many
// seconds on a busy 2-core machine.
const START_MS = 120_000;
const CLI_MS = 90_000;

const dataDir = mkdtempSync(join(tmpdir(), 'crm-newcomer-'));
const children = new Set<ChildProcess>();
let port: number;
let env: NodeJS.ProcessEnv;

interface Ran { code: number | null; stdout: string; stderr: string }

/** A fresh terminal: no config of ours or of a local .env (set-but-empty wins over the file, and means unset). */
function terminalEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env)
    .filter(([k]) => !k.startsWith('npm_') && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
  const unset = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, '']));
  return { ...clean, ...unset, ...extra };
}

/** Spawns `npm <args>` in the repo root, in a process group of its own (afterAll kills the group). */
function npm(args: string[], childEnv = env): { child: ChildProcess; done: Promise<Ran>; stdout: () => string } {
  const child = spawn('npm', args, { cwd: ROOT, env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const done = new Promise<Ran>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done, stdout: () => stdout };
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sources = (...args: string[]) => within(npm(['run', 'sources', '--', ...args]).done, CLI_MS, `npm run sources -- ${args.join(' ')}`);

/** The JSON log lines printed so far (npm's own lines are not JSON). */
function logLines(text: string): { msg?: string; [k: string]: unknown }[] {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string });
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return p;
}

let app: ReturnType<typeof npm>;
let appPid: number;
let webhookUrl: string;

beforeAll(async () => {
  port = await freePort();
  env = terminalEnv({ NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
});

afterAll(async () => {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch { /* already gone */ }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a newcomer follows the README on a fresh clone', () => {
  it('npm start runs on embedded defaults and listens', async () => {
    app = npm(['start']);
    const listening = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (logLines(app.stdout()).some((l) => l.msg === 'http_listening')) resolve();
      };
      app.child.stdout!.on('data', check);
      void app.done.then((r) => reject(new Error(`npm start exited ${r.code}:\n${r.stdout}\n${r.stderr}`)));
    });
    await within(listening, START_MS, 'the http_listening log line');
    const lines = logLines(app.stdout());
    expect(lines.find((l) => l.msg === 'database_ready')).toMatchObject({ database: 'pglite' });
    expect(lines.some((l) => l.msg?.startsWith('bot_disabled'))).toBe(true);

    const control = readControlFile(dataDir)!;
    expect(control.url).toBe(`http://127.0.0.1:${port}`);
    expect(statSync(join(dataDir, CONTROL_FILE)).mode & 0o777).toBe(0o600);
    appPid = control.pid;
  }, START_MS + 10_000);

  it('npm run sources -- add landing generic prints the webhook URL, and the README\'s curl gets a 2xx', async () => {
    const added = await sources('add', 'landing', 'generic');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Created form source #1 "landing" (generic, leads as WEB).');
    expect(added.stdout).toMatch(/^Secret: {6}\S+$/m);
    expect(added.stdout).toContain('Generic: POST JSON or urlencoded to the URL');
    webhookUrl = /^Webhook URL: (\S+)$/m.exec(added.stdout)![1]!;
    expect(webhookUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/webhooks/forms/[\\w-]+\\?secret=[\\w-]+$`));

    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "Jane Doe", "email": "jane@example.com", "phone": "+15550100199"}',
    });
    expect(res.status, await res.clone().text()).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(await res.json()).toMatchObject({ status: 'accepted' });
  }, CLI_MS + 10_000);

  it('npm run sources -- list shows the source while the app runs', async () => {
    const listed = await sources('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`#1\tlanding\tgeneric\tWEB\tactive\t${webhookUrl.replace(/\?.*$/, '')}\n`);
  }, CLI_MS + 10_000);

  it('a second npm start on the same data folder refuses to start, naming the app that holds it', async () => {
    const second = await within(npm(['start'], { ...env, PORT: String(await freePort()) }).done, START_MS, 'the second npm start to exit');
    expect(second.code).not.toBe(0);
    const fatal = logLines(second.stdout).find((l) => l.msg === 'start_failed') as { err?: { type?: string; message?: string } } | undefined;
    expect(fatal?.err?.type).toBe('DataDirInUseError');
    expect(fatal?.err?.message).toContain(`in use by process ${appPid} (main.ts`);
    // The first app is untouched.
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  }, START_MS + 10_000);

  it('on SIGTERM the app stops and lets go of the data folder', async () => {
    process.kill(appPid, 'SIGTERM');
    const stopped = await within(app.done, 30_000, 'npm start to exit');
    expect(stopped.code).toBe(0);
    expect(logLines(stopped.stdout).at(-1)).toMatchObject({ msg: 'stopped' });
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(existsSync(join(dataDir, CONTROL_FILE))).toBe(false);
  }, 40_000);

  it('with the app down, npm run sources -- list opens the data folder itself', async () => {
    const listed = await sources('list');
    expect(listed.code).toBe(0);
    expect(listed.stderr).not.toContain('Waiting');
    expect(listed.stdout).toContain(`#1\tlanding\tgeneric\tWEB\tactive\t${webhookUrl.replace(/\?.*$/, '')}\n`);
  }, CLI_MS + 10_000);

  it('the lead is in the data folder', async () => {
    const handle = await createDb({ dataDir });
    try {
      const lead = await handle.db.selectFrom('leads').selectAll().where('email', '=', 'jane@example.com').executeTakeFirst();
      expect(lead).toMatchObject({ full_name: 'Jane Doe', phone: '+15550100199' });
    } finally {
      await handle.close();
    }
  }, 60_000);
});
