import { pino } from 'pino';
import type { Core, DbHandle, KeyValueStore, User } from '../../../core/index.js';
import { createServer } from '../../../http/app.js';
import { createApiRoutes } from '../../../http/api/api-app.js';
import { createMetrics } from '../../../metrics.js';
import { makeUser } from '../../support/factories.js';
import { createTestCore } from '../../support/test-core.js';
import { testConfig } from '../http-harness.js';

/** The whole server with the API mounted, on a test database and store; `env` overrides settings. */
export function buildApiApp(p: { handle: DbHandle; store: KeyValueStore; env?: Record<string, string>; now?: () => Date }) {
  const env = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', API_RATE_LIMIT_PER_MINUTE: '10000', ...p.env };
  const logger = pino({ level: 'silent' });
  const core = createTestCore(p.handle, p.store, env, logger, p.now);
  const app = createServer({
    config: testConfig(env), core, store: p.store, logger, version: '1.2.3', startedAt: new Date(),
    metrics: createMetrics({ leadCounts: core.operations.leadCounts, defaultMetrics: false }),
    routes: createApiRoutes({ core, logger, version: '1.2.3' }),
  });
  /** A JSON request to /api/v1 with a bearer token. */
  const call = async (token: string | null, method: string, path: string, payload?: unknown) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) as any : null };
  };
  /** A user of `role` and an access token for them. */
  const signIn = async (role: User['role'], extra: Parameters<typeof makeUser>[1] = {}) => {
    const user = await makeUser(p.handle.db, { role, ...extra });
    const tokens = await core.api.issueTokens(user);
    return { user, token: tokens.access_token, tokens };
  };
  return { app, core, call, signIn };
}

export type ApiHarness = ReturnType<typeof buildApiApp>;
export type { Core };
