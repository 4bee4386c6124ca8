import { fileURLToPath } from 'node:url';

/**
 * Where Vite puts the Mini App's build and the server reads it: dist/miniapp
 * at the project root (not committed; `npm run build`, `npm start` and the
 * test setup build it). This file is http/routes/miniapp/ in the sources and
 * dist/http/routes/miniapp/ once compiled, so three levels up is the root
 * or dist/ — both name the same folder.
 */
export const MINIAPP_BUILD_DIR = fileURLToPath(new URL(
  import.meta.url.includes('/dist/http/') ? '../../../miniapp/' : '../../../dist/miniapp/', import.meta.url,
));
