import { Hono } from 'hono';
import type { Metrics } from '../../metrics.js';
import type { AppEnv } from '../middlewares/request-logger.js';

/**
 * GET /metrics in Prometheus text format (§15). Lead series are counted
 * from the database during the scrape (see createMetrics), so this is the
 * one request that reads every lead; Prometheus scrapes it every few seconds
 * at most, and both queries are single GROUP BYs.
 */
export function metricsRoute(metrics: Pick<Metrics, 'registry'>): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/metrics', async (c) => {
    const body = await metrics.registry.metrics();
    return c.body(body, 200, {
      'Content-Type': metrics.registry.contentType,
      'Cache-Control': 'no-store',
    });
  });
}
