import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json', '.ico': 'image/x-icon',
};

/** Vite names every built asset by its content hash, so a file under assets/ never changes: cache it for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page names the current hashes: always asked again (a cheap 200) so a deploy shows at once. */
export const REVALIDATE = 'no-cache';

/**
 * Serves the Mini App's Vite build from `dir` (read once per file, then
 * from memory: it never changes while the process runs). A name outside
 * `dir` or not built → 404; no build at all → 503 with how to make one.
 */
export function createStaticFiles(dir: string) {
  const cache = new Map<string, Buffer>();
  async function read(name: string): Promise<Buffer | null> {
    const cached = cache.get(name);
    if (cached) return cached;
    // Not cached while missing: a build made after start is served without a restart.
    const body = await readFile(join(dir, name)).catch(() => null);
    if (body) cache.set(name, body);
    return body;
  }
  return {
    async page(c: Context) {
      const html = await read('index.html');
      if (!html) {
        return c.text('The Mini App is not built: run `npm run build` (or `npm start`, which builds it).', 503);
      }
      return c.body(new Uint8Array(html), 200, { 'content-type': TYPES['.html']!, 'cache-control': REVALIDATE });
    },
    async asset(c: Context, name: string) {
      const clean = normalize(name);
      if (clean.startsWith('..') || clean.includes('/..') || !/^[\w.\-/]+$/.test(clean)) return c.notFound();
      const body = await read(join('assets', clean));
      if (!body) return c.notFound();
      return c.body(new Uint8Array(body), 200, {
        'content-type': TYPES[extname(clean)] ?? 'application/octet-stream', 'cache-control': IMMUTABLE,
      });
    },
  };
}
