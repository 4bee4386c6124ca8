import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle, KeyValueStore } from '../../../core/index.js';
import { makeLead } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { buildApiApp, type ApiHarness } from './api-harness.js';

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

describe('leads over the API', () => {
  it('creates a lead, and a second one with the same email answers exactly the §4 409 body', async () => {
    const { token } = await h.signIn('manager');
    const created = await h.call(token, 'POST', '/leads', { full_name: 'Ann', email: ' Ann@Example.com ', source: 'WEB' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ full_name: 'Ann', email: 'ann@example.com', stage: 'NEW', source: 'WEB' });
    const dup = await h.call(token, 'POST', '/leads', { email: 'ann@example.com' });
    expect(dup.status).toBe(409);
    expect(dup.body).toStrictEqual({ message: 'Duplicate lead', existing_lead_id: created.body.id });
  });

  it('refuses a lead without a contact and a bad source, in the one error shape', async () => {
    const { token } = await h.signIn('agent');
    const none = await h.call(token, 'POST', '/leads', { full_name: 'Nobody' });
    expect(none.status).toBe(422);
    expect(none.body).toMatchObject({ error: 'VALIDATION', field: 'contact' });
    const bad = await h.call(token, 'POST', '/leads', { email: 'x@example.com', source: 'TV' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'VALIDATION', field: 'source' });
    expect(typeof bad.body.message).toBe('string');
  });

  it('lists with quality_tier=HOT,WARM and a §6 cursor page', async () => {
    const { token, user } = await h.signIn('admin');
    const hot = await makeLead(handle.db, { ai_score: 0.9, quality_tier: 'HOT' });
    const warm = await makeLead(handle.db, { ai_score: 0.7, quality_tier: 'WARM' });
    await makeLead(handle.db, { ai_score: 0.1, quality_tier: 'DEAD' });
    const first = await h.call(token, 'GET', '/leads?quality_tier=HOT,WARM&limit=1');
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['has_next', 'items', 'limit', 'next_cursor']);
    expect(first.body.items.map((l: any) => l.id)).toEqual([warm.id]);
    expect(first.body.has_next).toBe(true);
    const second = await h.call(token, 'GET', `/leads?quality_tier=HOT,WARM&limit=1&cursor=${first.body.next_cursor}`);
    expect(second.body.items.map((l: any) => l.id)).toEqual([hot.id]);
    expect(second.body).toMatchObject({ has_next: false, next_cursor: null, limit: 1 });
    const bad = await h.call(token, 'GET', '/leads?quality_tier=TEPID');
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'VALIDATION', field: 'quality_tier' });
    void user;
  });

  it('an agent sees only their own leads and may not filter by assignee', async () => {
    const { token, user } = await h.signIn('agent');
    const mine = await makeLead(handle.db, { assigned_to: user.id });
    const other = await makeLead(handle.db, {});
    const page = await h.call(token, 'GET', '/leads?limit=50');
    expect(page.body.items.map((l: any) => l.id)).toEqual([mine.id]);
    expect((await h.call(token, 'GET', `/leads/${other.id}`)).status).toBe(403);
    const filtered = await h.call(token, 'GET', `/leads?assignee=${user.id}`);
    expect(filtered.status).toBe(403);
    expect(filtered.body.error).toBe('FORBIDDEN');
  });

  it('moves a lead forward one stage at a time; a skip names the expected stage', async () => {
    const { token, user } = await h.signIn('agent');
    const lead = await makeLead(handle.db, { assigned_to: user.id });
    const skip = await h.call(token, 'POST', `/leads/${lead.id}/stage`, { stage: 'QUALIFIED' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({ error: 'INVALID_TRANSITION', expected_stage: 'CONTACTED' });
    const moved = await h.call(token, 'POST', `/leads/${lead.id}/stage`, { stage: 'CONTACTED' });
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('CONTACTED');
    const stale = await h.call(token, 'POST', `/leads/${lead.id}/stage`, { stage: 'QUALIFIED', expected_version: lead.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('LEAD_CHANGED');
    const rollback = await h.call(token, 'POST', `/leads/${lead.id}/rollback`, { reason: 'called by mistake' });
    expect(rollback.status).toBe(403);
  });

  it('reads the card, notes, history and attachments; updates fields', async () => {
    const { token, user } = await h.signIn('agent');
    const lead = await makeLead(handle.db, { assigned_to: user.id });
    const note = await h.call(token, 'POST', `/leads/${lead.id}/notes`, { body: 'Called, <b>interested</b>' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ lead_id: lead.id, author_id: user.id, body: 'Called, interested' });
    const notes = await h.call(token, 'GET', `/leads/${lead.id}/notes`);
    expect(notes.body).toMatchObject({ total: 1, limit: 20, offset: 0 });
    const card = await h.call(token, 'GET', `/leads/${lead.id}`);
    expect(card.body).toMatchObject({ lead: { id: lead.id }, note_count: 1, attachment_count: 0 });
    const updated = await h.call(token, 'PATCH', `/leads/${lead.id}`, { company: 'Acme', business_domain: 'retail' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ company: 'Acme', business_domain: 'retail' });
    const history = await h.call(token, 'GET', `/leads/${lead.id}/history`);
    expect(history.body.items.map((e: any) => e.action)).toEqual(['FIELDS_UPDATED', 'NOTE_ADDED']);
    const files = await h.call(token, 'GET', `/leads/${lead.id}/attachments`);
    expect(files.body).toMatchObject({ items: [], total: 0 });
    expect((await h.call(token, 'GET', '/leads/999999')).status).toBe(404);
    expect((await h.call(token, 'GET', '/leads/abc')).body).toMatchObject({ error: 'VALIDATION', field: 'id' });
  });
});
