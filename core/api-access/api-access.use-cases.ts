import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { RateLimitedError, UnauthorizedError } from '../errors.js';
import type { Role } from '../users/user.constants.js';
import {
  API_KEY_PREFIX, authenticateApiKey, createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo,
} from './api-key.service.js';
import {
  issueTokens, logout, refreshTokens, revokeUserTokens, tokenKey, verifyAccessToken, type AccessClaims, type TokenSettings,
} from './api-token.service.js';

/** Who is calling the API: a person with an access token, or an integration with an API key. */
export type ApiPrincipal =
  | { kind: 'user'; viewer: User; claims: AccessClaims }
  | { kind: 'key'; viewer: User; key: ApiKeyInfo };

const MINUTE_MS = 60_000;

/**
 * JSON API sign-in and its limits (§16): tokens for staff (issued in the
 * bot), rotating refresh tokens, logout onto the shared deny list, API keys
 * for integrations, and the per-user / per-key request limit. Every API
 * request resolves its caller here; the use cases it then calls take that
 * caller's User and apply their own rights, so the API adds no rule.
 */
export function apiAccessUseCases(ctx: CoreContext) {
  const { db, store, config } = ctx;
  const settings: TokenSettings = {
    key: tokenKey(config.API_JWT_SECRET),
    accessTtlSeconds: config.API_ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlDays: config.API_REFRESH_TOKEN_TTL_DAYS,
    now: ctx.now,
  };
  return {
    /** Whether tokens survive a restart (API_JWT_SECRET set) — main.ts warns when not. */
    hasStableKey: Boolean(config.API_JWT_SECRET),
    /** /api in the bot: a fresh access + refresh token pair. Throws ForbiddenError (inactive). */
    issueTokens: (viewer: User) => issueTokens(db, settings, viewer),
    /** Rotates a refresh token; a reused one revokes its family. Throws UnauthorizedError. */
    refresh: (refreshToken: string) => refreshTokens(db, settings, refreshToken),
    /** Signs out: the access token is denied until it expires; the refresh token's family is revoked. */
    logout: (claims: AccessClaims, refreshToken?: string | null) => logout(db, store, settings, { claims, refreshToken }),
    /** /api → "sign out everywhere": every refresh token of the viewer revoked. Returns how many. */
    revokeMine: (viewer: User) => revokeUserTokens(db, viewer.id, ctx.now()),

    /**
     * The caller behind an Authorization bearer value: an API key (aelk_…)
     * or an access token, loaded fresh so a role change or deactivation
     * applies at once. Throws UnauthorizedError (bad, expired, revoked,
     * denied, inactive account).
     */
    authenticate: async (bearer: string): Promise<ApiPrincipal> => {
      if (bearer.startsWith(API_KEY_PREFIX)) {
        const { key, viewer } = await authenticateApiKey(db, bearer, ctx.now());
        if (viewer.status !== 'active') throw new UnauthorizedError('The key\'s owner is no longer active');
        return { kind: 'key', viewer, key };
      }
      const claims = await verifyAccessToken(store, settings, bearer);
      const viewer = await db.selectFrom('users').selectAll().where('id', '=', claims.userId).executeTakeFirst();
      if (!viewer || viewer.status !== 'active') throw new UnauthorizedError('The account is not active');
      return { kind: 'user', viewer, claims };
    },

    /**
     * One request of the caller against API_RATE_LIMIT_PER_MINUTE (§16),
     * counted per person or per key in the shared store. Returns what is
     * left; throws RateLimitedError (retryAfterMs) past the limit.
     */
    consumeRequest: async (principal: ApiPrincipal): Promise<{ limit: number; remaining: number }> => {
      const limit = config.API_RATE_LIMIT_PER_MINUTE;
      const key = principal.kind === 'key' ? `api:rl:key:${principal.key.id}` : `api:rl:user:${principal.viewer.id}`;
      const { count, resetInMs } = await store.increment(key, MINUTE_MS);
      if (count > limit) throw new RateLimitedError('api_request', limit, resetInMs);
      return { limit, remaining: limit - count };
    },

    /** Admins: a named key for an integration, shown once. Throws ForbiddenError, ValidationError. */
    createKey: (viewer: User, p: { name: string; role: Role }) => createApiKey(db, viewer, p),
    listKeys: (viewer: User) => listApiKeys(db, viewer),
    /** Throws ForbiddenError, NotFoundError('api_key'). */
    revokeKey: (viewer: User, keyId: number) => revokeApiKey(db, viewer, keyId, ctx.now()),
  };
}
