import { sign } from '@telegram-apps/init-data-node';
import type { Core, DbHandle, User } from '../../core/index.js';
import { startHttpServer, type HttpServer } from '../../http/app.js';
import { MINIAPP_BUILD_DIR } from '../../http/routes/miniapp/build-dir.js';
import { createMiniAppRoutes, MINIAPP_PATH } from '../../http/routes/miniapp/miniapp.routes.js';
import { buildApp, testConfig } from '../http/http-harness.js';
import { TEST_BOT_TOKEN } from '../support/bot-harness.js';
import { createTestCore } from '../support/test-core.js';
import { createTestDb } from '../support/test-db.js';
import { createTestStore } from '../support/test-store.js';

export const MAX_AGE_S = 3_600;

/** Init data as Telegram would sign it for this user (another token: forged; an old date: expired). */
export function initDataFor(
  user: Pick<User, 'telegram_id' | 'full_name'>, opts: { token?: string; signedAt?: Date } = {},
): string {
  return sign({
    user: { id: user.telegram_id, first_name: user.full_name, language_code: 'en' },
    query_id: 'AAH-test', chat_type: 'sender', chat_instance: '1',
  } as Parameters<typeof sign>[0], opts.token ?? TEST_BOT_TOKEN, opts.signedAt ?? new Date());
}

export interface MiniAppHarness {
  handle: DbHandle;
  core: Core;
  app: ReturnType<typeof buildApp>['app'];
  server: HttpServer;
  url: string;
  close(): Promise<void>;
}

/** The CRM's HTTP server with the Mini App mounted (its real Vite build), on a fresh database, on a free port. */
export async function startMiniApp(env: Record<string, string> = {}): Promise<MiniAppHarness> {
  const handle = await createTestDb();
  const store = createTestStore();
  const config = testConfig({ BOT_TOKEN: TEST_BOT_TOKEN, ...env });
  const core = createTestCore(handle, store, { BOT_TOKEN: TEST_BOT_TOKEN, ...env });
  const { app } = buildApp({
    core, store, config,
    routes: [{
      path: '/',
      app: createMiniAppRoutes({ core, botToken: TEST_BOT_TOKEN, initDataMaxAgeSeconds: MAX_AGE_S, assetsDir: MINIAPP_BUILD_DIR }),
    }],
  });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  return {
    handle, core, app, server, url: `http://127.0.0.1:${server.port}`,
    close: async () => {
      await server.close();
      await store.close();
      await handle.close();
    },
  };
}
