import { createRoute, z } from '@hono/zod-openapi';
import type { AttemptReport as Report, Core } from '../../../core/index.js';
import { AUTHED, apiApp, bearer, body, errors, json, send } from '../api-route.js';
import { AttemptReport, Delivery, IdParam, Webhook, WebhookCreate } from '../api-schemas.js';

const tags = ['Webhooks'];
const reportJson = (r: Report) => ({
  delivery_id: r.deliveryId, event_id: r.eventId, status: r.status, latency_ms: r.latencyMs, error: r.error, outcome: r.outcome,
});

/** Outbound webhooks (§13, admins): subscribe (with a test ping), list with health, deliveries, replay, switch off. */
export function webhookRoutes(core: Core) {
  const app = apiApp();
  const E = errors(...AUTHED, 403, 404);

  app.openapi(createRoute({
    method: 'post', path: '/webhooks', tags, security: bearer, summary: 'Subscribe a URL to events',
    description: 'https only in production; loopback and private addresses are refused unless WEBHOOK_ALLOW_PRIVATE_URLS. A webhook.ping is sent at once and its result returned. The secret (Standard Webhooks whsec_…) is shown only here.',
    request: body(WebhookCreate),
    responses: { 201: json(z.object({ webhook: Webhook, secret: z.string(), ping: AttemptReport }), 'Subscribed'), ...errors(...AUTHED, 403) },
  }), async (c) => {
    const viewer = c.get('viewer');
    const { subscription, ping } = await core.webhooks.subscribe(viewer, c.req.valid('json'));
    return send(c, { webhook: await core.webhooks.get(viewer, subscription.id), secret: subscription.secret, ping: reportJson(ping) }, 201);
  });

  app.openapi(createRoute({
    method: 'get', path: '/webhooks', tags, security: bearer, summary: 'Subscriptions with pending and failed deliveries',
    responses: { 200: json(z.object({ items: z.array(Webhook) }), 'Every subscription'), ...errors(...AUTHED, 403) },
  }), async (c) => send(c, { items: await core.webhooks.list(c.get('viewer')) }));

  app.openapi(createRoute({
    method: 'get', path: '/webhooks/{id}', tags, security: bearer, summary: 'One subscription',
    request: { params: IdParam }, responses: { 200: json(Webhook, 'The subscription'), ...E },
  }), async (c) => send(c, await core.webhooks.get(c.get('viewer'), c.req.valid('param').id)));

  app.openapi(createRoute({
    method: 'patch', path: '/webhooks/{id}', tags, security: bearer, summary: 'Switch a subscription off or on',
    request: { params: IdParam, ...body(z.object({ is_active: z.boolean() })) },
    responses: { 200: json(Webhook, 'The subscription'), ...E },
  }), async (c) => send(c, await core.webhooks.setActive(c.get('viewer'), c.req.valid('param').id, c.req.valid('json').is_active)));

  app.openapi(createRoute({
    method: 'delete', path: '/webhooks/{id}', tags, security: bearer, summary: 'Delete a subscription and its deliveries',
    request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...E },
  }), async (c) => {
    await core.webhooks.remove(c.get('viewer'), c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(createRoute({
    method: 'post', path: '/webhooks/{id}/ping', tags, security: bearer, summary: 'Send a test ping now',
    request: { params: IdParam }, responses: { 200: json(AttemptReport, 'How it went'), ...E },
  }), async (c) => send(c, reportJson(await core.webhooks.ping(c.get('viewer'), c.req.valid('param').id))));

  app.openapi(createRoute({
    method: 'get', path: '/webhooks/{id}/deliveries', tags, security: bearer, summary: 'Deliveries with every attempt, newest first',
    request: {
      params: IdParam,
      query: z.object({
        status: z.enum(['pending', 'delivered', 'failed']).optional(), before: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
    },
    responses: { 200: json(z.object({ items: z.array(Delivery) }), 'A page (pass the last id as before)'), ...E },
  }), async (c) => {
    const q = c.req.valid('query');
    const items = await core.webhooks.deliveries(c.get('viewer'), {
      subscriptionId: c.req.valid('param').id, limit: q.limit, ...(q.status ? { status: q.status } : {}), ...(q.before ? { before: q.before } : {}),
    });
    return send(c, { items });
  });

  app.openapi(createRoute({
    method: 'post', path: '/webhooks/{id}/replay', tags, security: bearer, summary: 'Replay failed deliveries: one, or all',
    description: 'Each keeps its webhook-id, so a receiver that did get it can tell.',
    request: { params: IdParam, ...body(z.object({ delivery_id: z.number().int().positive().optional() })) },
    responses: { 200: json(z.object({ queued: z.number().int() }), 'How many were queued again'), ...E },
  }), async (c) => {
    const b = c.req.valid('json');
    const queued = await core.webhooks.replay(c.get('viewer'), {
      subscriptionId: c.req.valid('param').id, ...(b.delivery_id ? { deliveryId: b.delivery_id } : {}),
    });
    return send(c, { queued });
  });
  return app;
}
