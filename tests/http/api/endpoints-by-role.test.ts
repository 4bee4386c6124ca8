import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle, KeyValueStore, Lead, Role, User } from '../../../core/index.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { buildApiApp, type ApiHarness } from './api-harness.js';

// Every endpoint: the roles allowed get a 2xx, every other role the 403 FORBIDDEN of core's access
// policy, and a request that does not match the schema a 422 VALIDATION naming the field.

let handle: DbHandle;
let store: KeyValueStore;
let h: ApiHarness;
const callers = {} as Record<Role, { user: User; token: string }>;
let telegramSeq = 7_000_000;

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
  h = buildApiApp({ handle, store, env: { RATE_LIMIT_LEAD_CREATIONS_PER_HOUR: '1000', RATE_LIMIT_STAGE_CHANGES_PER_HOUR: '1000' } });
  for (const role of ['agent', 'manager', 'admin'] as const) callers[role] = await h.signIn(role, { capacity: 1000 });
});
afterAll(async () => {
  await store.close();
  await handle.close();
});

/** A fresh lead held by `owner` (agents work only their own), with a customer conversation. */
async function leadOf(owner: User, p: Partial<Lead> = {}): Promise<Lead> {
  const lead = await makeLead(handle.db, { assigned_to: owner.id, ...p });
  const chat = ++telegramSeq;
  await handle.db.insertInto('conversations').values({
    lead_id: lead.id, telegram_user_id: chat, telegram_chat_id: chat, username: null, customer_name: 'Customer',
    campaign_link_id: null, start_payload: null, off_hours_replied_for: null,
  }).execute();
  return lead;
}

type Check = {
  name: string;
  allowed: readonly Role[];
  /** The request for a caller; `lead` is theirs. */
  request: (c: { user: User; lead: Lead }) => Promise<[method: string, path: string, body?: unknown]> | [string, string, unknown?];
  invalid: (c: { user: User; lead: Lead }) => [method: string, path: string, body?: unknown];
  field: string;
  stage?: Lead['stage'];
};

const ALL = ['agent', 'manager', 'admin'] as const;
const LEADERS = ['manager', 'admin'] as const;
const ADMIN = ['admin'] as const;
let emailSeq = 0;

const checks: Check[] = [
  { name: 'POST /leads', allowed: ALL, request: () => ['POST', '/leads', { email: `role${++emailSeq}@example.com` }], invalid: () => ['POST', '/leads', { email: 5 }], field: 'email' },
  { name: 'GET /leads', allowed: ALL, request: () => ['GET', '/leads'], invalid: () => ['GET', '/leads?limit=0'], field: 'limit' },
  { name: 'GET /leads/search', allowed: ALL, request: () => ['GET', '/leads/search?q=Lead'], invalid: () => ['GET', '/leads/search'], field: 'q' },
  { name: 'GET /leads/{id}', allowed: ALL, request: ({ lead }) => ['GET', `/leads/${lead.id}`], invalid: () => ['GET', '/leads/0'], field: 'id' },
  { name: 'PATCH /leads/{id}', allowed: ALL, request: ({ lead }) => ['PATCH', `/leads/${lead.id}`, { company: 'Acme' }], invalid: ({ lead }) => ['PATCH', `/leads/${lead.id}`, { company: 5 }], field: 'company' },
  { name: 'DELETE /leads/{id}', allowed: ADMIN, request: ({ lead }) => ['DELETE', `/leads/${lead.id}`], invalid: () => ['DELETE', '/leads/x'], field: 'id' },
  { name: 'POST /leads/{id}/stage', allowed: ALL, request: ({ lead }) => ['POST', `/leads/${lead.id}/stage`, { stage: 'CONTACTED' }], invalid: ({ lead }) => ['POST', `/leads/${lead.id}/stage`, { stage: 'DONE' }], field: 'stage' },
  { name: 'POST /leads/{id}/rollback', allowed: LEADERS, stage: 'CONTACTED', request: ({ lead }) => ['POST', `/leads/${lead.id}/rollback`, { reason: 'moved by mistake' }], invalid: ({ lead }) => ['POST', `/leads/${lead.id}/rollback`, {}], field: 'reason' },
  { name: 'POST /leads/{id}/lost', allowed: ALL, request: ({ lead }) => ['POST', `/leads/${lead.id}/lost`, { reason_code: 'no_budget' }], invalid: ({ lead }) => ['POST', `/leads/${lead.id}/lost`, { reason_code: 'bored' }], field: 'reason_code' },
  { name: 'POST /leads/{id}/assign', allowed: LEADERS, request: ({ lead, user }) => ['POST', `/leads/${lead.id}/assign`, { user_id: (user.role === 'manager' ? callers.agent : callers.manager).user.id }], invalid: ({ lead }) => ['POST', `/leads/${lead.id}/assign`, { user_id: -1 }], field: 'user_id' },
  { name: 'GET /leads/{id}/notes', allowed: ALL, request: ({ lead }) => ['GET', `/leads/${lead.id}/notes`], invalid: ({ lead }) => ['GET', `/leads/${lead.id}/notes?limit=1000`], field: 'limit' },
  { name: 'POST /leads/{id}/notes', allowed: ALL, request: ({ lead }) => ['POST', `/leads/${lead.id}/notes`, { body: 'hi' }], invalid: ({ lead }) => ['POST', `/leads/${lead.id}/notes`, { body: '' }], field: 'body' },
  { name: 'GET /leads/{id}/history', allowed: ALL, request: ({ lead }) => ['GET', `/leads/${lead.id}/history`], invalid: ({ lead }) => ['GET', `/leads/${lead.id}/history?offset=-1`], field: 'offset' },
  { name: 'GET /leads/{id}/attachments', allowed: ALL, request: ({ lead }) => ['GET', `/leads/${lead.id}/attachments`], invalid: ({ lead }) => ['GET', `/leads/${lead.id}/attachments?limit=x`], field: 'limit' },
  { name: 'GET /leads/{id}/messages', allowed: ALL, request: ({ lead }) => ['GET', `/leads/${lead.id}/messages`], invalid: ({ lead }) => ['GET', `/leads/${lead.id}/messages?limit=501`], field: 'limit' },
  { name: 'POST /leads/{id}/messages', allowed: ALL, request: ({ lead }) => ['POST', `/leads/${lead.id}/messages`, { text: 'Hello!' }], invalid: ({ lead }) => ['POST', `/leads/${lead.id}/messages`, { text: '' }], field: 'text' },
  { name: 'POST /leads/bulk (stage)', allowed: LEADERS, request: ({ lead }) => ['POST', '/leads/bulk', { action: 'stage', ids: [lead.id], stage: 'CONTACTED' }], invalid: () => ['POST', '/leads/bulk', { action: 'stage', ids: Array.from({ length: 101 }, (_, i) => i + 1), stage: 'CONTACTED' }], field: 'ids' },
  { name: 'POST /leads/bulk (delete)', allowed: ADMIN, request: ({ lead }) => ['POST', '/leads/bulk', { action: 'delete', ids: [lead.id], confirm: true }], invalid: ({ lead }) => ['POST', '/leads/bulk', { action: 'delete', ids: [lead.id] }], field: 'confirm' },
  { name: 'GET /conversations', allowed: ALL, request: () => ['GET', '/conversations'], invalid: () => ['GET', '/conversations?limit=0'], field: 'limit' },
  { name: 'GET /users', allowed: ADMIN, request: () => ['GET', '/users'], invalid: () => ['GET', '/users?limit=51'], field: 'limit' },
  { name: 'GET /users/{id}', allowed: ADMIN, request: ({ user }) => ['GET', `/users/${user.id}`], invalid: () => ['GET', '/users/-4'], field: 'id' },
  { name: 'PATCH /users/{id}', allowed: ADMIN, request: () => ['PATCH', `/users/${callers.agent.user.id}`, { capacity: 1000 }], invalid: () => ['PATCH', `/users/${callers.agent.user.id}`, { role: 'boss' }], field: 'role' },
  { name: 'GET /form-sources', allowed: ADMIN, request: () => ['GET', '/form-sources'], invalid: () => ['GET', '/form-sources/x'], field: '' },
  { name: 'GET /api-keys', allowed: ADMIN, request: () => ['GET', '/api-keys'], invalid: () => ['POST', '/api-keys', { name: '', role: 'agent' }], field: 'name' },
  { name: 'GET /webhooks', allowed: ADMIN, request: () => ['GET', '/webhooks'], invalid: () => ['POST', '/webhooks', { url: 'https://example.com', events: ['lead.eaten'] }], field: 'events.0' },
  { name: 'GET /me', allowed: ALL, request: () => ['GET', '/me'], invalid: () => ['POST', '/auth/refresh', { refresh_token: 7 }], field: 'refresh_token' },
];

describe.each(checks)('$name', (check) => {
  it.each(ALL)('as %s', async (role) => {
    const { user, token } = callers[role];
    const lead = await leadOf(user, check.stage ? { stage: check.stage } : {});
    const [method, path, body] = await check.request({ user, lead });
    const res = await h.call(token, method, path, body);
    if ((check.allowed as readonly Role[]).includes(role)) {
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    } else {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body).toMatchObject({ error: 'FORBIDDEN', message: expect.any(String) });
    }
  });

  it('refuses an invalid request with 422', async () => {
    const { user, token } = callers.admin;
    const lead = await leadOf(user);
    const [method, path, body] = check.invalid({ user, lead });
    const res = await h.call(token, method, path, body);
    if (check.field === '') return expect(res.status).toBe(404);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body).toMatchObject({ error: 'VALIDATION', field: check.field });
  });
});

describe('an agent and somebody else\'s lead', () => {
  it('is refused on every lead endpoint', async () => {
    const other = await makeUser(handle.db, { role: 'agent' });
    const lead = await leadOf(other);
    for (const [method, path, body] of [
      ['GET', `/leads/${lead.id}`], ['PATCH', `/leads/${lead.id}`, { company: 'x' }], ['POST', `/leads/${lead.id}/stage`, { stage: 'CONTACTED' }],
      ['POST', `/leads/${lead.id}/notes`, { body: 'x' }], ['GET', `/leads/${lead.id}/history`], ['GET', `/leads/${lead.id}/messages`],
    ] as const) {
      const res = await h.call(callers.agent.token, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });
});
