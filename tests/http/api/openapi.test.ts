import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle, KeyValueStore } from '../../../core/index.js';
import { API_TYPES_FILE, apiTypes } from '../../../scripts/api-types.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { buildApiApp, type ApiHarness } from './api-harness.js';
import type { paths } from './generated/api-schema.js';

let handle: DbHandle;
let store: KeyValueStore;
let h: ApiHarness;

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
  h = buildApiApp({ handle, store });
});
afterAll(async () => {
  await store.close();
  await handle.close();
});

describe('the OpenAPI document', () => {
  it('is served without sign-in and is valid OpenAPI 3.1', async () => {
    const res = await h.app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json() as any;
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('documents the one error shape on every operation, and the exact 409 of POST /leads', async () => {
    const doc = await (await h.app.request('/api/v1/openapi.json')).json() as any;
    expect(doc.components.schemas.Error.properties).toMatchObject({ message: { type: 'string' } });
    expect(doc.paths['/leads'].post.responses['409'].content['application/json'].schema.$ref).toBe('#/components/schemas/DuplicateLead');
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const errorCodes = Object.keys(op.responses).filter((s) => Number(s) >= 400);
        expect(errorCodes.length, `${method} ${path}`).toBeGreaterThan(0);
        if (path !== '/auth/refresh') expect(op.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
      }
    }
    expect(doc.paths['/leads'].get.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['stage', 'quality_tier', 'source', 'assignee', 'cursor', 'limit']));
  });

  it('has interactive docs at /api/docs', async () => {
    const res = await h.app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/api/v1/openapi.json');
  });

  it('matches the checked-in client types (npm run api:types)', async () => {
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(await apiTypes());
  });
});

describe('a client generated from the document (openapi-typescript + openapi-fetch)', () => {
  it('works a lead from creation to a stage change', async () => {
    const { token } = await h.signIn('manager');
    const client = createClient<paths>({
      baseUrl: 'http://crm.test/api/v1',
      headers: { authorization: `Bearer ${token}` },
      fetch: async (request: Request) => h.app.fetch(request),
    });
    const created = await client.POST('/leads', { body: { full_name: 'Olena', phone: '+380 50 123 4567', source: 'REFERRAL' } });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect(created.data!.phone).toBe('+380501234567');

    const dup = await client.POST('/leads', { body: { phone: '+380501234567' } });
    expect(dup.response.status).toBe(409);
    expect(dup.error).toEqual({ message: 'Duplicate lead', existing_lead_id: id });

    const contacted = await client.POST('/leads/{id}/stage', { params: { path: { id } }, body: { stage: 'CONTACTED' } });
    expect(contacted.data!.stage).toBe('CONTACTED');
    const qualified = await client.POST('/leads/{id}/stage', {
      params: { path: { id } }, body: { stage: 'QUALIFIED', expected_version: contacted.data!.version },
    });
    expect(qualified.data!.stage).toBe('QUALIFIED');
    const card = await client.GET('/leads/{id}', { params: { path: { id } } });
    expect(card.data!.lead.stage).toBe('QUALIFIED');
    const history = await client.GET('/leads/{id}/history', { params: { path: { id }, query: { limit: 10 } } });
    expect(history.data!.items.filter((e) => e.action === 'STAGE_CHANGED').map((e) => e.to_stage)).toEqual(['QUALIFIED', 'CONTACTED']);
    const listed = await client.GET('/leads', { params: { query: { stage: 'QUALIFIED' } } });
    expect(listed.data!.items.map((l) => l.id)).toContain(id);
  });
});
