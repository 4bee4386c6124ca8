import { createRoute, z } from '@hono/zod-openapi';
import { FORM_PROVIDERS, LEAD_SOURCES, ROLES, type Core } from '../../../core/index.js';
import { AUTHED, apiApp, bearer, body, errors, json, send } from '../api-route.js';
import { managedJson } from '../api-serialize.js';
import { ApiKey, IdParam, User, UserUpdate } from '../api-schemas.js';

const FormSource = z.object({
  id: z.number().int(), name: z.string(), provider: z.enum(FORM_PROVIDERS), lead_source: z.enum(LEAD_SOURCES),
  is_active: z.boolean(), url: z.string(), created_at: z.string(), disabled_at: z.string().nullable(),
}).openapi('FormSource');

/** Admins (§1, §11, §16): users, form sources and API keys. */
export function adminRoutes(core: Core) {
  const app = apiApp();
  const ADMIN_ERRORS = errors(...AUTHED, 403);

  app.openapi(createRoute({
    method: 'get', path: '/users', tags: ['Users'], security: bearer, summary: 'Users with their open leads (admins)',
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(50), offset: z.coerce.number().int().min(0).default(0) }) },
    responses: { 200: json(z.object({ items: z.array(User), total: z.number().int() }), 'A page'), ...ADMIN_ERRORS },
  }), async (c) => {
    const page = await core.users.listManaged(c.get('viewer'), c.req.valid('query'));
    return send(c, { items: page.items.map(managedJson), total: page.total });
  });

  app.openapi(createRoute({
    method: 'get', path: '/users/{id}', tags: ['Users'], security: bearer, summary: 'One user (admins)',
    request: { params: IdParam },
    responses: { 200: json(User, 'The user'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => send(c, managedJson(await core.users.getManaged(c.get('viewer'), c.req.valid('param').id))));

  app.openapi(createRoute({
    method: 'patch', path: '/users/{id}', tags: ['Users'], security: bearer, summary: 'Change role, capacity or access (admins)',
    description: 'active: false deactivates (their open leads are handed on); true reactivates.',
    request: { params: IdParam, ...body(UserUpdate) },
    responses: { 200: json(User, 'The user'), ...errors(...AUTHED, 403, 404, 409) },
  }), async (c) => {
    const viewer = c.get('viewer');
    const { id } = c.req.valid('param');
    const b = c.req.valid('json');
    if (b.role !== undefined) await core.users.setRole(viewer, { userId: id, role: b.role });
    if (b.capacity !== undefined) await core.users.setCapacity(viewer, { userId: id, capacity: b.capacity });
    if (b.active === false) await core.users.deactivate(viewer, id);
    if (b.active === true) await core.users.reactivate(viewer, id);
    return send(c, managedJson(await core.users.getManaged(viewer, id)));
  });

  app.openapi(createRoute({
    method: 'get', path: '/form-sources', tags: ['Form sources'], security: bearer, summary: 'Form sources (admins)',
    responses: { 200: json(z.object({ items: z.array(FormSource) }), 'Every source'), ...ADMIN_ERRORS },
  }), async (c) => {
    const sources = await core.formSources.list(c.get('viewer'));
    return send(c, {
      items: sources.map((s) => ({
        id: s.id, name: s.name, provider: s.provider, lead_source: s.lead_source, is_active: s.is_active,
        url: core.formSources.urlOf(s, { withSecret: false }), created_at: s.created_at, disabled_at: s.disabled_at,
      })),
    });
  });

  app.openapi(createRoute({
    method: 'get', path: '/api-keys', tags: ['API keys'], security: bearer, summary: 'API keys with their last use (admins)',
    responses: { 200: json(z.object({ items: z.array(ApiKey) }), 'Every key'), ...ADMIN_ERRORS },
  }), async (c) => send(c, { items: await core.api.listKeys(c.get('viewer')) }));

  app.openapi(createRoute({
    method: 'post', path: '/api-keys', tags: ['API keys'], security: bearer, summary: 'Issue a named key (admins)',
    description: 'The key acts for the admin who issued it with at most the given role. It is shown once; only its hash is kept.',
    request: body(z.object({ name: z.string().min(1).max(100), role: z.enum(ROLES) })),
    responses: { 201: json(z.object({ key: z.string(), api_key: ApiKey }), 'The key, shown once'), ...ADMIN_ERRORS },
  }), async (c) => {
    const { key, info } = await core.api.createKey(c.get('viewer'), c.req.valid('json'));
    return send(c, { key, api_key: info }, 201);
  });

  app.openapi(createRoute({
    method: 'delete', path: '/api-keys/{id}', tags: ['API keys'], security: bearer, summary: 'Revoke a key (admins)',
    request: { params: IdParam },
    responses: { 200: json(ApiKey, 'The revoked key'), ...errors(...AUTHED, 403, 404) },
  }), async (c) => send(c, await core.api.revokeKey(c.get('viewer'), c.req.valid('param').id)));
  return app;
}
