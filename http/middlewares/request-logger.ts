import type { MiddlewareHandler } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import { withCorrelationId } from '../../core/index.js';
import type { Logger } from '../../logger.js';
import { routeLabel } from './http-metrics.js';

/** What every handler can read from the context: `c.get('logger')`, `c.get('requestId')`. */
export type AppEnv = { Variables: RequestIdVariables & { logger: Logger } };

// Probes hit these every few seconds; at info they would drown the real traffic.
const QUIET_ROUTES = new Set(['/health', '/metrics']);

/**
 * Gives each request a child logger bound to its request id (set by
 * hono's requestId() before this runs) and logs one `http_request` line
 * when it ends. Only the route pattern is logged, never the URL: query
 * strings and webhook paths carry secrets.
 */
export function requestLogger(root: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLogger(c, next) {
    const log = root.child({ req_id: c.get('requestId') });
    c.set('logger', log);
    const started = performance.now();
    // Everything this request does (outbox rows included) carries its id (§15).
    await withCorrelationId(`req:${c.get('requestId')}`, () => next());
    const route = routeLabel(c);
    const line = {
      method: c.req.method,
      route,
      status: c.res.status,
      duration_ms: Math.round(performance.now() - started),
    };
    if (QUIET_ROUTES.has(route)) log.debug(line, 'http_request');
    else log.info(line, 'http_request');
  };
}
