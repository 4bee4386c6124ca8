import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../../core/errors.js';
import type { DbHandle } from '../../../core/create-db.js';
import type { Core } from '../../../core/index.js';
import { makeUser } from '../../support/factories.js';
import { createTestCore } from '../../support/test-core.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';

describe('a user\'s own time zone (§1, /settings)', () => {
  let h: DbHandle & { core: Core };
  const store = createTestStore();
  beforeAll(async () => {
    const handle = await createTestDb();
    h = Object.assign(handle, { core: createTestCore(handle, store, { TEAM_TIMEZONE: 'Europe/Kyiv' }) });
  });
  afterAll(async () => {
    await store.close();
    await h.close();
  });

  it('stores an IANA zone as the runtime spells it, and null follows the team\'s zone again', async () => {
    const user = await makeUser(h.db);
    expect(h.core.users.timeZoneOf(user)).toBe('Europe/Kyiv');
    const set = await h.core.users.setTimeZone(user, 'america/new_york');
    expect(set.timezone).toBe('America/New_York');
    expect(h.core.users.timeZoneOf(set)).toBe('America/New_York');
    const reset = await h.core.users.setTimeZone(set, null);
    expect(reset.timezone).toBeNull();
    expect(h.core.users.timeZoneOf(reset)).toBe('Europe/Kyiv');
  });

  it('refuses what is not a zone, offsets included, and inactive users', async () => {
    const user = await makeUser(h.db);
    for (const bad of ['Mars/Olympus', '+02:00', 'UTC+2', '', 'Europe/Kyiv; drop table users']) {
      await expect(h.core.users.setTimeZone(user, bad)).rejects.toMatchObject({ constructor: ValidationError, field: 'timezone' });
    }
    const gone = await makeUser(h.db, { status: 'inactive' });
    await expect(h.core.users.setTimeZone(gone, 'UTC')).rejects.toBeInstanceOf(ForbiddenError);
  });
});
