import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Builds the Mini App (miniapp/ → dist/miniapp/, Vite) when its build is
 * missing or older than a source file; otherwise does nothing. `npm start`
 * runs it first (prestart) and the test setup calls it, so a fresh clone
 * works with `npm ci && npm start` or `npm ci && npm test` and no build
 * output is ever committed. `npm run build` always builds.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, 'miniapp');
const BUILT = join(ROOT, 'dist', 'miniapp', 'index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export async function ensureMiniAppBuilt(): Promise<'built' | 'fresh'> {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestSource(SOURCE)) return 'fresh';
  // Vite is a dev dependency: only a source checkout builds (the Docker image ships the build).
  const { build } = await import('vite');
  await build({ configFile: join(SOURCE, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await ensureMiniAppBuilt();
  console.log(result === 'built' ? 'Mini App built into dist/miniapp' : 'Mini App build is up to date');
}
