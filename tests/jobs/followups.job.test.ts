import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../core/create-db.js';
import { runFollowups } from '../../jobs/followups.job.js';
import { makeLead, makeUser } from '../support/factories.js';
import { createTestCore } from '../support/test-core.js';
import { createTestDb } from '../support/test-db.js';
import { createTestStore } from '../support/test-store.js';

let handle: DbHandle;
let store: ReturnType<typeof createTestStore>;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  handle = await createTestDb();
  store = createTestStore();
});
afterAll(async () => {
  await store.close();
  await handle.close();
});
beforeEach(async () => {
  await sql`truncate digests, lead_escalations, notifications, lead_history, leads, users restart identity cascade`.execute(handle.db);
  await store.delete('lock:job:followups');
});

describe('the follow-ups job (issue 11)', () => {
  it('a run alerts an SLA-breached lead; runs at once on two instances alert it once', async () => {
    const agent = await makeUser(handle.db);
    // Every minute counts, so the lead is late whatever the real time of day.
    const env = { WORKING_HOURS: 'mon-sun 00:00-24:00', FIRST_CONTACT_SLA_MINUTES: '15' };
    const lead = await makeLead(handle.db, { assigned_to: agent.id, created_at: new Date(Date.now() - 20 * 60_000) });
    const a = createTestCore(handle, store, env);
    const b = createTestCore(handle, store, env);

    const runs = await Promise.all([runFollowups({ core: a, store, logger }), runFollowups({ core: b, store, logger })]);
    const again = await runFollowups({ core: b, store, logger });

    const alerted = [...runs, again].flatMap((r) => (r.status === 'completed' ? r.sla : []));
    expect(alerted).toEqual([{ leadId: lead.id, userId: agent.id }]);
    const alerts = await handle.db.selectFrom('notifications').select('kind').where('kind', '=', 'sla_breach').execute();
    expect(alerts).toHaveLength(1);
  });
});
