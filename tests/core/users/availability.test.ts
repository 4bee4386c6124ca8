import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { ForbiddenError } from '../../../core/errors.js';
import { createLead } from '../../../core/leads/lead.service.js';
import { setAvailability } from '../../../core/users/availability.service.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });
beforeEach(async () => {
  for (const table of ['notifications', 'lead_history', 'leads', 'users'] as const) await h.db.deleteFrom(table).execute();
});

describe('availability (/off, /on, §4)', () => {
  it('while an agent is off, a new lead skips them even though they have the most free capacity', async () => {
    const away = await makeUser(h.db, { capacity: 100 });
    const busy = await makeUser(h.db, { capacity: 2 });
    await setAvailability(h.db, away.id, false);
    expect((await createLead(h.db, { source: 'WEB', email: 'a@example.com' })).assigned_to).toBe(busy.id);

    await setAvailability(h.db, away.id, true);
    expect((await createLead(h.db, { source: 'WEB', email: 'b@example.com' })).assigned_to).toBe(away.id);
  });

  it('keeps the leads they hold and says how many are still open', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await makeLead(h.db, { assigned_to: agent.id, stage: 'LOST', lost_reason: 'x' });
    const { user, openLeads } = await setAvailability(h.db, agent.id, false);
    expect(user.is_available).toBe(false);
    expect(openLeads).toBe(1);
    expect((await h.db.selectFrom('leads').select('assigned_to').where('id', '=', lead.id).executeTakeFirstOrThrow())
      .assigned_to).toBe(agent.id);
    // Idempotent.
    expect((await setAvailability(h.db, agent.id, false)).user.is_available).toBe(false);
  });

  it('refuses users who are not active', async () => {
    const gone = await makeUser(h.db, { status: 'inactive' });
    await expect(setAvailability(h.db, gone.id, false)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
