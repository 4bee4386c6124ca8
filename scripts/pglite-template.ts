// npm ci (postinstall): builds the embedded database's template, so the
// first start on a fresh data folder skips initdb (core/pglite-template.ts).
// Never fails the install: without a template a first start runs initdb.
import { ensurePgliteTemplate } from '../core/pglite-template.js';

const started = performance.now();
try {
  const { path, bytes, built } = await ensurePgliteTemplate();
  const took = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`embedded database template ${built ? `built in ${took} s` : 'already there'}: ${path} (${(bytes / 1e6).toFixed(1)} MB)`);
} catch (err) {
  console.warn(`embedded database template not built (a first start will run initdb): ${String(err)}`);
}
