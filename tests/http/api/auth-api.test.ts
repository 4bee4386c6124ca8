import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle, KeyValueStore } from '../../../core/index.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { buildApiApp, type ApiHarness } from './api-harness.js';

let handle: DbHandle;
let store: KeyValueStore;
let h: ApiHarness;
let clock = Date.now();
const now = () => new Date(clock);

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
  h = buildApiApp({ handle, store, now, env: { API_ACCESS_TOKEN_TTL_SECONDS: '60', API_JWT_SECRET: 'x'.repeat(40) } });
});
afterAll(async () => {
  await store.close();
  await handle.close();
});

describe('access tokens', () => {
  it('refuses a missing, malformed or foreign token with 401 in the one error shape', async () => {
    expect((await h.call(null, 'GET', '/me')).body).toMatchObject({ error: 'UNAUTHORIZED' });
    expect((await h.call('nonsense', 'GET', '/me')).status).toBe(401);
    const foreign = buildApiApp({ handle, store, env: { API_JWT_SECRET: 'y'.repeat(40) } });
    const { token } = await foreign.signIn('agent');
    const res = await h.call(token, 'GET', '/me');
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Invalid access token');
  });

  it('carries sub, role, exp and jti, and stops working once expired', async () => {
    const { token, user } = await h.signIn('manager');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: String(user.id), role: 'manager' });
    expect(claims.exp - claims.iat).toBe(60);
    expect(typeof claims.jti).toBe('string');
    expect((await h.call(token, 'GET', '/me')).body.user).toMatchObject({ id: user.id, role: 'manager' });
    clock += 61_000;
    const expired = await h.call(token, 'GET', '/me');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('Access token expired');
  });

  it('logout denies the access token until it expires and revokes its refresh token', async () => {
    const { token, tokens } = await h.signIn('agent');
    expect((await h.call(token, 'POST', '/auth/logout', { refresh_token: tokens.refresh_token })).status).toBe(204);
    const denied = await h.call(token, 'GET', '/me');
    expect(denied.status).toBe(401);
    expect(denied.body.message).toMatch(/signed out/);
    expect((await h.call(null, 'POST', '/auth/refresh', { refresh_token: tokens.refresh_token })).status).toBe(401);
  });

  it('a deactivated user is refused at once, even with a live token', async () => {
    const { token, user } = await h.signIn('agent');
    await handle.db.updateTable('users').set({ status: 'inactive' }).where('id', '=', user.id).execute();
    expect((await h.call(token, 'GET', '/me')).status).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('rotate: each works once; reusing one refuses it and revokes the whole sign-in', async () => {
    const { tokens } = await h.signIn('agent');
    const second = await h.call(null, 'POST', '/auth/refresh', { refresh_token: tokens.refresh_token });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    expect(second.body.refresh_token).not.toBe(tokens.refresh_token);
    expect((await h.call(second.body.access_token, 'GET', '/me')).status).toBe(200);

    const reuse = await h.call(null, 'POST', '/auth/refresh', { refresh_token: tokens.refresh_token });
    expect(reuse.status).toBe(401);
    expect(reuse.body).toMatchObject({ error: 'UNAUTHORIZED', message: expect.stringMatching(/already used/) });
    // The thief's reuse also ended the rightful holder's newer token.
    expect((await h.call(null, 'POST', '/auth/refresh', { refresh_token: second.body.refresh_token })).status).toBe(401);
  });

  it('an unknown or empty refresh token is refused', async () => {
    expect((await h.call(null, 'POST', '/auth/refresh', { refresh_token: 'aelr_nope' })).status).toBe(401);
    expect((await h.call(null, 'POST', '/auth/refresh', {})).status).toBe(422);
  });
});

describe('API keys', () => {
  it('admins issue a named key scoped to a role; it works, shows its last use and stops when revoked', async () => {
    const { token: admin } = await h.signIn('admin');
    const made = await h.call(admin, 'POST', '/api-keys', { name: 'Website', role: 'manager' });
    expect(made.status).toBe(201);
    expect(made.body.key).toMatch(/^aelk_/);
    expect(made.body.api_key).toMatchObject({ name: 'Website', role: 'manager', last_used_at: null });
    expect(made.body.api_key.key_hash).toBeUndefined();
    const me = await h.call(made.body.key, 'GET', '/me');
    expect(me.body).toMatchObject({ via: 'api_key', api_key: { name: 'Website' }, user: { role: 'manager' } });
    // Scoped to manager: admin-only resources are refused.
    expect((await h.call(made.body.key, 'GET', '/users')).status).toBe(403);
    const listed = await h.call(admin, 'GET', '/api-keys');
    expect(listed.body.items.find((k: any) => k.id === made.body.api_key.id).last_used_at).not.toBeNull();
    expect((await h.call(admin, 'DELETE', `/api-keys/${made.body.api_key.id}`)).body.revoked_at).not.toBeNull();
    const revoked = await h.call(made.body.key, 'GET', '/me');
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toBe('API key revoked');
  });

  it('managers and agents may not issue keys', async () => {
    for (const role of ['manager', 'agent'] as const) {
      const { token } = await h.signIn(role);
      const res = await h.call(token, 'POST', '/api-keys', { name: 'x', role: 'agent' });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('FORBIDDEN');
      expect((await h.call(token, 'GET', '/api-keys')).status).toBe(403);
    }
  });
});

describe('rate limits', () => {
  it('past the per-user limit: 429 with Retry-After; another user is not affected', async () => {
    const limited = buildApiApp({ handle, store, env: { API_RATE_LIMIT_PER_MINUTE: '3' } });
    const { token } = await limited.signIn('agent');
    for (let i = 0; i < 3; i++) expect((await limited.call(token, 'GET', '/me')).status).toBe(200);
    const refused = await limited.call(token, 'GET', '/me');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ error: 'RATE_LIMITED' });
    const other = await limited.signIn('agent');
    expect((await limited.call(other.token, 'GET', '/me')).status).toBe(200);
  });

  it('per key, and the §16 lead-creation limit applies through the API too', async () => {
    const limited = buildApiApp({ handle, store, env: { API_RATE_LIMIT_PER_MINUTE: '2', RATE_LIMIT_LEAD_CREATIONS_PER_HOUR: '1' } });
    const admin = await makeUser(handle.db, { role: 'admin' });
    const { key } = await limited.core.api.createKey(admin, { name: 'CRM sync', role: 'agent' });
    expect((await limited.call(key, 'GET', '/me')).status).toBe(200);
    expect((await limited.call(key, 'GET', '/me')).status).toBe(200);
    expect((await limited.call(key, 'GET', '/me')).headers.get('retry-after')).toMatch(/^\d+$/);

    const { token } = await limited.signIn('agent');
    expect((await limited.call(token, 'POST', '/leads', { email: 'rl1@example.com' })).status).toBe(201);
    const second = await limited.call(token, 'POST', '/leads', { email: 'rl2@example.com' });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(60);
    void makeLead;
  });
});
