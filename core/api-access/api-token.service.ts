import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { sql } from 'kysely';
import { assertActive } from '../access/access-policy.js';
import type { Db, User } from '../database.js';
import { UnauthorizedError } from '../errors.js';
import type { KeyValueStore } from '../store/kv-store.js';
import { inTransaction } from '../transaction.js';
import type { Role } from '../users/user.constants.js';

/** What a client holds after signing in or refreshing (§16); expires_in in seconds. */
export interface ApiTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_at: Date;
}

/** A verified access token's claims: sub (user id), role, jti, exp (seconds since the epoch). */
export interface AccessClaims { userId: number; role: Role; jti: string; exp: number }

export interface TokenSettings {
  key: Uint8Array;
  accessTtlSeconds: number;
  refreshTtlDays: number;
  now: () => Date;
}

export const REFRESH_PREFIX = 'aelr_';
const ISSUER = 'ael-crm';
const AUDIENCE = 'ael-crm-api';
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
const denyKey = (jti: string) => `api:deny:${jti}`;

/** The HS256 key: API_JWT_SECRET, or random bytes for this process only. */
export function tokenKey(secret: string | undefined): Uint8Array {
  return secret ? new TextEncoder().encode(secret) : randomBytes(32);
}

async function signAccess(s: TokenSettings, user: Pick<User, 'id' | 'role'>): Promise<{ token: string }> {
  const iat = Math.floor(s.now().getTime() / 1000);
  const token = await new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(user.id)).setJti(randomUUID()).setIssuer(ISSUER).setAudience(AUDIENCE)
    .setIssuedAt(iat).setExpirationTime(iat + s.accessTtlSeconds)
    .sign(s.key);
  return { token };
}

async function newRefresh(db: Db, s: TokenSettings, userId: number, familyId: string) {
  const token = REFRESH_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(s.now().getTime() + s.refreshTtlDays * 86_400_000);
  await db.insertInto('api_refresh_tokens')
    .values({ user_id: userId, family_id: familyId, token_hash: hashToken(token), expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

async function tokensFor(db: Db, s: TokenSettings, user: User, familyId: string): Promise<ApiTokens> {
  const [{ token }, refresh] = await Promise.all([signAccess(s, user), newRefresh(db, s, user.id, familyId)]);
  return {
    access_token: token, token_type: 'Bearer', expires_in: s.accessTtlSeconds,
    refresh_token: refresh.token, refresh_expires_at: refresh.expiresAt,
  };
}

/**
 * /api in the bot (§16): a new token family for an active user — an access
 * token and a refresh token. Throws ForbiddenError for an inactive user.
 */
export async function issueTokens(db: Db, s: TokenSettings, user: User): Promise<ApiTokens> {
  assertActive(user);
  return tokensFor(db, s, user, randomUUID());
}

/**
 * Rotates a refresh token (§16): each is good once. A token used a second
 * time means it leaked: its whole family is revoked and the call refused.
 * Expired, revoked or unknown tokens, and users no longer active, are
 * refused too. Throws UnauthorizedError.
 */
export async function refreshTokens(db: Db, s: TokenSettings, refreshToken: string): Promise<ApiTokens> {
  const outcome = await inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('api_refresh_tokens').selectAll()
      .where('token_hash', '=', hashToken(refreshToken)).forUpdate().executeTakeFirst();
    if (!row) return { refused: 'Unknown refresh token' } as const;
    if (row.used_at || row.revoked_at) {
      await revokeFamily(trx, row.family_id, s.now());
      return { refused: 'Refresh token already used: every token of its sign-in is revoked' } as const;
    }
    if (row.expires_at.getTime() <= s.now().getTime()) return { refused: 'Refresh token expired' } as const;
    const user = await trx.selectFrom('users').selectAll().where('id', '=', row.user_id).executeTakeFirst();
    if (!user || user.status !== 'active') return { refused: 'The account is not active' } as const;
    await trx.updateTable('api_refresh_tokens').set({ used_at: s.now() }).where('id', '=', row.id).execute();
    return { tokens: await tokensFor(trx, s, user, row.family_id) };
  });
  // The revocation must commit, so the refusal is thrown after the transaction.
  if ('refused' in outcome) throw new UnauthorizedError(outcome.refused);
  return outcome.tokens;
}

async function revokeFamily(db: Db, familyId: string, now: Date): Promise<void> {
  await db.updateTable('api_refresh_tokens').set({ revoked_at: now })
    .where('family_id', '=', familyId).where('revoked_at', 'is', null).execute();
}

/**
 * Verifies an access token: signature, issuer, audience, expiry (core's
 * clock) and the deny list (logout). Throws UnauthorizedError saying which.
 */
export async function verifyAccessToken(store: KeyValueStore, s: TokenSettings, token: string): Promise<AccessClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, s.key, {
      issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: s.now(), requiredClaims: ['sub', 'jti', 'exp'],
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new UnauthorizedError('Access token expired');
    throw new UnauthorizedError('Invalid access token');
  }
  const userId = Number(payload.sub);
  if (!Number.isSafeInteger(userId)) throw new UnauthorizedError('Invalid access token');
  if (await store.get(denyKey(payload.jti!))) throw new UnauthorizedError('Access token revoked (signed out)');
  return { userId, role: payload['role'] as Role, jti: payload.jti!, exp: payload.exp! };
}

/**
 * Logout (§16): the access token's jti goes on the deny list in the shared
 * store until the token would expire anyway; a refresh token given with it
 * has its family revoked. Idempotent; never throws for a token already out.
 */
export async function logout(
  db: Db, store: KeyValueStore, s: TokenSettings, p: { claims: AccessClaims; refreshToken?: string | null },
): Promise<void> {
  const ttlMs = p.claims.exp * 1000 - s.now().getTime();
  if (ttlMs > 0) await store.set(denyKey(p.claims.jti), '1', ttlMs);
  if (p.refreshToken) {
    const row = await db.selectFrom('api_refresh_tokens').select(['family_id', 'user_id'])
      .where('token_hash', '=', hashToken(p.refreshToken)).executeTakeFirst();
    if (row && row.user_id === p.claims.userId) await revokeFamily(db, row.family_id, s.now());
  }
}

/** Revokes every refresh token of a user (their sessions end when access tokens expire). */
export async function revokeUserTokens(db: Db, userId: number, now: Date): Promise<number> {
  const r = await db.updateTable('api_refresh_tokens').set({ revoked_at: now })
    .where('user_id', '=', userId).where('revoked_at', 'is', null).where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`${now}::timestamptz`).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
