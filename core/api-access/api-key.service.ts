import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { assertCan } from '../access/access-policy.js';
import type { ApiKey, Db, User } from '../database.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../errors.js';
import { ROLES, type Role } from '../users/user.constants.js';
import { hashToken } from './api-token.service.js';

export const API_KEY_PREFIX = 'aelk_';
/** A key's last use is written at most this often (ms), so a busy integration is not a write per request. */
const LAST_USE_GRANULARITY_MS = 60_000;
const RANK: Record<Role, number> = { agent: 0, manager: 1, admin: 2 };

/** What lists show of a key: never the key itself. */
export type ApiKeyInfo = Omit<ApiKey, 'key_hash'>;

const info = ({ key_hash: _h, ...rest }: ApiKey): ApiKeyInfo => rest;

/**
 * An admin issues a named API key for an integration (§16), scoped to a role.
 * The key acts for its creator with at most `role`'s rights; it is shown
 * once, only its hash is stored. Throws ForbiddenError, ValidationError('name' | 'role').
 */
export async function createApiKey(db: Db, actor: User, p: { name: string; role: Role }): Promise<{ key: string; info: ApiKeyInfo }> {
  assertCan(actor, 'api.keys');
  const name = p.name.trim();
  if (!name || name.length > 100) throw new ValidationError('name', 'must be 1-100 characters');
  if (!ROLES.includes(p.role)) throw new ValidationError('role', `must be one of ${ROLES.join(', ')}`);
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  const row = await db.insertInto('api_keys').values({
    name, role: p.role, key_hash: hashToken(key), key_prefix: key.slice(0, API_KEY_PREFIX.length + 6), created_by: actor.id,
  }).returningAll().executeTakeFirstOrThrow();
  return { key, info: info(row) };
}

/** Every key, newest first, with its last use (admins). Throws ForbiddenError. */
export async function listApiKeys(db: Db, actor: User): Promise<ApiKeyInfo[]> {
  assertCan(actor, 'api.keys');
  const rows = await db.selectFrom('api_keys').selectAll().orderBy('id', 'desc').execute();
  return rows.map(info);
}

/** Revokes a key at once (admins); revoking twice is harmless. Throws ForbiddenError, NotFoundError('api_key'). */
export async function revokeApiKey(db: Db, actor: User, keyId: number, now: Date): Promise<ApiKeyInfo> {
  assertCan(actor, 'api.keys');
  const row = await db.updateTable('api_keys').set({ revoked_at: sql`coalesce(revoked_at, ${now}::timestamptz)` })
    .where('id', '=', keyId).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('api_key', keyId);
  return info(row);
}

/**
 * The user a key acts as: its creator, with the lower of the key's role and
 * the creator's current one, so a key never outranks the person who issued
 * it (a demoted or deactivated admin's keys shrink or stop with them).
 * Records the last use. Throws UnauthorizedError for an unknown or revoked key.
 */
export async function authenticateApiKey(db: Db, key: string, now: Date): Promise<{ key: ApiKeyInfo; viewer: User }> {
  const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashToken(key)).executeTakeFirst();
  if (!row || row.revoked_at) throw new UnauthorizedError(row ? 'API key revoked' : 'Unknown API key');
  const creator = await db.selectFrom('users').selectAll().where('id', '=', row.created_by).executeTakeFirstOrThrow();
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USE_GRANULARITY_MS) {
    await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const role = RANK[row.role] < RANK[creator.role] ? row.role : creator.role;
  return { key: info({ ...row, last_used_at: now }), viewer: { ...creator, role } };
}
