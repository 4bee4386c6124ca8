import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import {
  createFormSource, disableFormSource, findFormSource, getActiveFormSourceBySlug, listFormSources, webhookUrlFor,
} from '../../../core/intake/form-source.service.js';
import { createTestDb } from '../../support/test-db.js';

let handle: DbHandle;
beforeAll(async () => { handle = await createTestDb(); });
afterAll(async () => { await handle.close(); });

describe('form sources', () => {
  it('creates a source with an unguessable slug and secret, and a webhook path', async () => {
    const { source, secret, webhookPath } = await createFormSource(handle.db, { name: 'Landing', provider: 'tilda' });
    expect(source).toMatchObject({ name: 'Landing', provider: 'tilda', lead_source: 'WEB', is_active: true, secret });
    expect(source.slug).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(webhookPath).toBe(`/webhooks/forms/${source.slug}`);
    const other = await createFormSource(handle.db, { name: 'Other', provider: 'generic', leadSource: 'PARTNER' });
    expect(other.source.slug).not.toBe(source.slug);
    expect(other.secret).not.toBe(secret);
    expect(other.source.lead_source).toBe('PARTNER');
  });

  it('refuses a duplicate name (any case), an unknown provider or lead source, a numeric name', async () => {
    await createFormSource(handle.db, { name: 'Dup', provider: 'generic' });
    await expect(createFormSource(handle.db, { name: ' dup ', provider: 'generic' }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'name' });
    await expect(createFormSource(handle.db, { name: 'X', provider: 'wufoo' }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'provider' });
    await expect(createFormSource(handle.db, { name: 'Y', provider: 'tilda', leadSource: 'SPAM' }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'lead_source' });
    await expect(createFormSource(handle.db, { name: '42', provider: 'tilda' }))
      .rejects.toMatchObject({ code: 'VALIDATION', field: 'name' });
  });

  it('disables by name or id; a disabled slug is no longer found', async () => {
    const { source } = await createFormSource(handle.db, { name: 'Temp', provider: 'typeform' });
    await expect(getActiveFormSourceBySlug(handle.db, source.slug)).resolves.toMatchObject({ id: source.id });
    const disabled = await disableFormSource(handle.db, 'temp');
    expect(disabled).toMatchObject({ is_active: false, disabled_at: expect.any(Date) });
    await expect(disableFormSource(handle.db, String(source.id))).resolves.toMatchObject({ is_active: false });
    await expect(getActiveFormSourceBySlug(handle.db, source.slug)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(disableFormSource(handle.db, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await listFormSources(handle.db)).map((s) => s.name)).toContain('Temp');
    await expect(findFormSource(handle.db, source.id)).resolves.toMatchObject({ name: 'Temp' });
  });

  it('never finds a malformed slug', async () => {
    await expect(getActiveFormSourceBySlug(handle.db, "x' or 1=1")).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('puts the secret in the URL for Tilda and generic, never for Typeform', () => {
    const base = { slug: 'abc', secret: 's+/=' };
    expect(webhookUrlFor('https://crm.example.com/', { ...base, provider: 'tilda' }))
      .toBe('https://crm.example.com/webhooks/forms/abc?secret=s%2B%2F%3D');
    expect(webhookUrlFor('https://crm.example.com/app', { ...base, provider: 'typeform' }))
      .toBe('https://crm.example.com/app/webhooks/forms/abc');
    expect(webhookUrlFor('https://x.io', { ...base, provider: 'generic' }, { withSecret: false }))
      .toBe('https://x.io/webhooks/forms/abc');
  });
});
