import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError, type ApiPrincipal, type Core, type User } from '../../core/index.js';

export interface ApiVariables { principal: ApiPrincipal; viewer: User }

/**
 * Who is calling (§16): `Authorization: Bearer <access token | API key>`,
 * resolved by core (signature, expiry, deny list, revocation, account
 * status), then one request counted against the caller's per-minute limit
 * (429 + Retry-After past it). Paths in `open` need no caller.
 */
export function apiAuth(core: Core, open: readonly string[]): MiddlewareHandler<{ Variables: ApiVariables }> {
  return async function authenticateApiCaller(c, next) {
    if (open.some((p) => c.req.path.endsWith(p))) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedError('Missing bearer token (Authorization: Bearer <access token or API key>)');
    const principal = await core.api.authenticate(match[1]!);
    const { limit, remaining } = await core.api.consumeRequest(principal);
    c.header('X-RateLimit-Limit', String(limit));
    c.header('X-RateLimit-Remaining', String(remaining));
    c.set('principal', principal);
    c.set('viewer', principal.viewer);
    return next();
  };
}
