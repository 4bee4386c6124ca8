import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The one-way rule of the architecture (house style), checked on every file:
// bot/, http/ and jobs/ use core only through its public surface
// (core/index.ts); core/ never imports an edge framework or an edge.
const ROOT = resolve(import.meta.dirname, '..');
const EDGES = ['bot', 'http', 'jobs'];
const EDGE_FRAMEWORKS = /^(grammy|hono|node-cron|@grammyjs\/|@hono\/)/;
const CORE_SURFACE = join(ROOT, 'core', 'index.ts');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specifiers.map((m) => (m[1] ?? m[2])!);
}

/** A relative specifier as the absolute .ts path it names ("../core/index.js" → …/core/index.ts). */
const resolveTs = (from: string, spec: string) => resolve(dirname(from), spec).replace(/\.js$/, '.ts');
const rel = (p: string) => relative(ROOT, p);

describe('the import rule', () => {
  it('bot/, http/ and jobs/ reach core only through core/index.ts', () => {
    const offending = EDGES.flatMap(tsFiles).flatMap((file) => importsOf(file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolveTs(file, spec))
      .filter((target) => rel(target).startsWith('core/') && target !== CORE_SURFACE)
      .map((target) => `${rel(file)} → ${rel(target)}`));
    expect(offending).toEqual([]);
  });

  it('core/ never imports grammY, Hono, node-cron or an edge', () => {
    const offending = tsFiles('core').flatMap((file) => importsOf(file)
      .filter((spec) => EDGE_FRAMEWORKS.test(spec)
        || (spec.startsWith('.') && /^(bot|http|jobs|main\.ts|metrics\.ts)/.test(rel(resolveTs(file, spec)))))
      .map((spec) => `${rel(file)} → ${spec}`));
    expect(offending).toEqual([]);
  });

  it('finds the imports it checks (the check itself works)', () => {
    expect(importsOf(join(ROOT, 'bot', 'features', 'help.ts'))).toContain('../../core/index.js');
    expect(tsFiles('core').length).toBeGreaterThan(30);
  });
});
