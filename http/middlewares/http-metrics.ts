import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Metrics } from '../../metrics.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The matched route pattern ('/webhooks/:slug'), never the raw path: raw
 * paths carry ids and secrets and would give every request its own series.
 * Requests no route matched share 'unmatched'.
 */
export function routeLabel(c: Context): string {
  const route = routePath(c);
  if (!route || (c.res.status === 404 && route.endsWith('*'))) return 'unmatched';
  return route;
}

/** Counts and times every request under crm_http_requests_total / crm_http_request_duration_seconds. */
export function httpMetrics(metrics: Pick<Metrics, 'httpRequests' | 'httpDuration'>): MiddlewareHandler {
  return async function httpMetrics(c, next) {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // Errors are turned into responses by app.onError before we get here;
      // the finally only matters if something escapes it.
      const labels = {
        method: KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER',
        route: routeLabel(c),
        status: String(c.res.status),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
