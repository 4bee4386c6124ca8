import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The Mini App's build (§14): served by the CRM's Hono server under /app,
 * so every URL is based there; assets get content hashes in their names
 * (Vite's default) and the server caches them for a year.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/miniapp', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
  },
});
