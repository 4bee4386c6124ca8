import { createRoute, z } from '@hono/zod-openapi';
import { type Core, ForbiddenError } from '../../../core/index.js';
import { apiApp, bearer, body, errors, json, send } from '../api-route.js';
import { userJson } from '../api-serialize.js';
import { Tokens, User } from '../api-schemas.js';

const tags = ['Auth'];
export const REFRESH_PATH = '/auth/refresh';

/** Sign-in (§16): refresh rotation, logout, who am I. Staff get their first refresh token from the bot's /api. */
export function authRoutes(core: Core) {
  const app = apiApp();

  app.openapi(createRoute({
    method: 'post', path: REFRESH_PATH, tags, summary: 'Exchange a refresh token for new tokens',
    description: 'Each refresh token works once and is replaced by the one returned. Using one again refuses it and revokes every token of that sign-in.',
    request: body(z.object({ refresh_token: z.string().min(1).max(200) })),
    responses: { 200: json(Tokens, 'New tokens'), ...errors(401, 422) },
  }), async (c) => send(c, await core.api.refresh(c.req.valid('json').refresh_token)));

  app.openapi(createRoute({
    method: 'post', path: '/auth/logout', tags, security: bearer, summary: 'Sign out',
    description: "The access token is refused from now until it expires (deny list in the shared store); a refresh token given too has its sign-in revoked.",
    request: { body: { content: { 'application/json': { schema: z.object({ refresh_token: z.string().max(200).optional() }) } }, required: false } },
    responses: { 204: { description: 'Signed out' }, ...errors(401, 403, 429) },
  }), async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'user') throw new ForbiddenError('API keys do not sign out; an admin revokes them');
    const b = await c.req.json().catch(() => ({})) as { refresh_token?: string };
    await core.api.logout(principal.claims, typeof b.refresh_token === 'string' ? b.refresh_token : null);
    return c.body(null, 204);
  });

  app.openapi(createRoute({
    method: 'get', path: '/me', tags, security: bearer, summary: 'The caller',
    responses: {
      200: json(z.object({ user: User, via: z.enum(['token', 'api_key']), api_key: z.object({ id: z.number().int(), name: z.string() }).nullable() }), 'The caller'),
      ...errors(401, 429),
    },
  }), async (c) => {
    const p = c.get('principal');
    return send(c, { user: userJson(p.viewer), via: p.kind === 'key' ? 'api_key' : 'token', api_key: p.kind === 'key' ? { id: p.key.id, name: p.key.name } : null });
  });
  return app;
}
