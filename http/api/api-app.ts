import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../logger.js';
import { apiAuth } from './api-auth.js';
import { apiErrorHandler } from './api-errors.js';
import { apiApp } from './api-route.js';
import { adminRoutes } from './routes/admin.routes.js';
import { aiRoutes } from './routes/ai.routes.js';
import { authRoutes, REFRESH_PATH } from './routes/auth.routes.js';
import { bulkAndConversationRoutes } from './routes/bulk-conversations.routes.js';
import { dealRoutes } from './routes/deals.routes.js';
import { leadWorkRoutes } from './routes/lead-work.routes.js';
import { leadRoutes } from './routes/leads.routes.js';
import { webhookRoutes } from './routes/webhooks.routes.js';

export const API_BASE_PATH = '/api/v1';
export const API_DOCS_PATH = '/api/docs';
const OPENAPI_PATH = '/openapi.json';

/**
 * The JSON API (issue 12, §4, §6, §13, §16) on the same Hono server:
 * routes, validation and the OpenAPI 3.1 document from one set of zod
 * schemas (@hono/zod-openapi). Every handler calls one core use case with
 * the caller's User, so rights and rules are core's. Returns the sub-apps
 * to mount: the API at /api/v1 and interactive docs at /api/docs.
 */
export function createApiRoutes(deps: { core: Core; logger: Logger; version: string }) {
  const api = apiApp();
  api.onError(apiErrorHandler(deps.logger));
  api.use('*', apiAuth(deps.core, [REFRESH_PATH, OPENAPI_PATH]));
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http', scheme: 'bearer',
    description: 'An access token (JWT from POST /auth/refresh; staff get their first refresh token from the bot\'s /api) or an API key (aelk_…).',
  });
  api.route('/', authRoutes(deps.core));
  api.route('/', leadRoutes(deps.core));
  api.route('/', bulkAndConversationRoutes(deps.core));
  api.route('/', leadWorkRoutes(deps.core));
  api.route('/', dealRoutes(deps.core));
  api.route('/', aiRoutes(deps.core));
  api.route('/', adminRoutes(deps.core));
  api.route('/', webhookRoutes(deps.core));
  api.doc31(OPENAPI_PATH, {
    openapi: '3.1.0',
    info: {
      title: 'AEL CRM API', version: deps.version,
      description: 'Leads, their pipeline and conversations, AI analysis, the transfer to sales and deals, users, form sources and outbound webhooks. Every error has one shape (Error).',
    },
    servers: [{ url: API_BASE_PATH }],
  });

  const docs = new Hono();
  docs.get('/', Scalar({ url: `${API_BASE_PATH}${OPENAPI_PATH}`, pageTitle: 'AEL CRM API' }));
  return [{ path: API_BASE_PATH, app: api }, { path: API_DOCS_PATH, app: docs }];
}
