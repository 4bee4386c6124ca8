import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import { CONTROL_PATH, createControlRoutes, type ControlSourceAccess } from '../../http/routes/control.js';
import { createTestDb } from '../support/test-db.js';
import { createTestCore } from '../support/test-core.js';
import { createTestStore } from '../support/test-store.js';
import { buildApp } from './http-harness.js';

const TOKEN = 'test-control-token-0123456789abcdef';
const PUBLIC_URL = 'https://crm.example.com';

let handle: DbHandle;
let app: ReturnType<typeof buildApp>['app'];
const store = createTestStore();

beforeAll(async () => {
  handle = await createTestDb();
  const core = createTestCore(handle, store, { PUBLIC_URL });
  ({ app } = buildApp({
    handle, store, core,
    routes: [{ path: CONTROL_PATH, app: createControlRoutes({ core, token: TOKEN, pid: 4242 }) }],
  }));
});

afterAll(async () => {
  await handle?.close();
  await store.close();
});

function call(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Response> {
  return Promise.resolve(app.request(`${CONTROL_PATH}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  }));
}

describe('the control API of the app that holds the embedded database', () => {
  it('answers 401 without the bearer token, or with a wrong one, before doing anything', async () => {
    expect((await call('GET', '', undefined, null)).status).toBe(401);
    expect((await call('GET', '/sources', undefined, 'wrong')).status).toBe(401);
    expect((await call('POST', '/sources', { name: 'sneaky', provider: 'generic' }, `${TOKEN}x`)).status).toBe(401);
    const basic = await app.request(`${CONTROL_PATH}/sources`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
    const list = (await (await call('GET', '/sources')).json()) as { sources: unknown[] };
    expect(list.sources).toEqual([]);
  });

  it('says whose it is', async () => {
    const res = await call('GET', '');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pid: 4242 });
  });

  let landing: ControlSourceAccess;

  it('adds a source and returns it with its webhook URL under the app\'s PUBLIC_URL, and its secret', async () => {
    const res = await call('POST', '/sources', { name: 'Landing page', provider: 'generic' });
    expect(res.status).toBe(201);
    landing = (await res.json()) as ControlSourceAccess;
    expect(landing.source).toMatchObject({ name: 'Landing page', provider: 'generic', lead_source: 'WEB', is_active: true, disabled_at: null });
    expect(landing.source).not.toHaveProperty('secret');
    expect(landing.source).not.toHaveProperty('slug');
    expect(landing.webhook_url).toMatch(new RegExp(`^${PUBLIC_URL}/webhooks/forms/[\\w-]+\\?secret=${landing.secret}$`));
  });

  it('leaves the rules to core: its refusals come back as the error table says', async () => {
    const dup = await call('POST', '/sources', { name: 'landing page', provider: 'tilda' });
    expect(dup.status).toBe(422);
    expect(await dup.json()).toMatchObject({ error: 'VALIDATION', field: 'name', message: 'name: a form source named "landing page" already exists' });
    const provider = await call('POST', '/sources', { name: 'x', provider: 'wix', lead_source: 'ADS' });
    expect(await provider.json()).toMatchObject({ error: 'VALIDATION', field: 'provider' });
    expect((await call('GET', '/sources/show?ref=nope')).status).toBe(404);
    expect((await call('POST', '/sources/disable', { ref: 'nope' })).status).toBe(404);
  });

  it('answers 400 for a body that is not the shape', async () => {
    expect((await call('POST', '/sources', 'not json')).status).toBe(400);
    expect((await call('POST', '/sources', { name: 7, provider: 'generic' })).status).toBe(400);
    expect((await call('GET', '/sources/show')).status).toBe(400);
    expect((await call('POST', '/sources/disable', {})).status).toBe(400);
  });

  it('shows a source by name or id, lists them without secrets, and disables one', async () => {
    const typeform = (await (await call('POST', '/sources', { name: 'Quiz / Typeform', provider: 'typeform', lead_source: 'SOCIAL' })).json()) as ControlSourceAccess;
    const byName = (await (await call('GET', `/sources/show?${new URLSearchParams({ ref: 'quiz / typeform' })}`)).json()) as ControlSourceAccess;
    expect(byName).toEqual(typeform);
    // Typeform signs its deliveries, so its URL carries no secret.
    expect(byName.webhook_url).not.toContain('secret');
    expect(await (await call('GET', `/sources/show?ref=${landing.source.id}`)).json()).toEqual(landing);

    const disabled = await call('POST', '/sources/disable', { ref: String(landing.source.id) });
    expect(disabled.status).toBe(200);
    const { source } = (await disabled.json()) as { source: ControlSourceAccess['source'] };
    expect(source).toMatchObject({ id: landing.source.id, is_active: false });
    expect(source.disabled_at).toMatch(/^\d{4}-\d\d-\d\dT/);

    const { sources } = (await (await call('GET', '/sources')).json()) as { sources: Record<string, unknown>[] };
    expect(sources.map((s) => [s.name, s.is_active])).toEqual([['Landing page', false], ['Quiz / Typeform', true]]);
    expect(JSON.stringify(sources)).not.toContain(landing.secret);
    expect(sources[0]!.webhook_url).toBe(landing.webhook_url.replace(/\?secret=.*$/, ''));
  });
});
