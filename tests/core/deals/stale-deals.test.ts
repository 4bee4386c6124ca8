import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { User } from '../../../core/database.js';
import type { DealStage } from '../../../core/deals/deal.constants.js';
import { makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { DAY_MS, dealTestCore, qualifiedLead } from './deal-test-core.js';

describe('stale deals alert their owner like stale leads (§9, §10)', () => {
  let h: DbHandle;
  const store = createTestStore();
  let t: ReturnType<typeof dealTestCore>;
  let agent: User;

  beforeAll(async () => {
    h = await createTestDb();
    t = dealTestCore(h, store, { DEAL_STALE_AFTER_DAYS: '5', STALE_MAX_ALERTS_PER_RUN: '3' });
    agent = await makeUser(h.db, { name: 'Ann Agent' });
  });
  afterAll(async () => {
    await store.close();
    await h.close();
  });

  async function deal(stage: DealStage, idleDays: number) {
    const lead = await qualifiedLead(h.db, agent, { stage: 'TRANSFERRED' });
    return h.db.insertInto('deals').values({
      lead_id: lead.id, owner_id: agent.id, stage, currency: 'UAH', amount_minor: stage === 'NEW' || stage === 'KYC' || stage === 'LOST' ? null : 100,
      last_activity_at: new Date(t.now().getTime() - idleDays * DAY_MS),
      ...(stage === 'PAID' ? { closed_at: t.now(), duration_days: 3 } : {}),
    }).returningAll().executeTakeFirstOrThrow();
  }
  const alerts = (dealId: number) => h.db.selectFrom('notifications').select(['id', 'payload']).where('kind', '=', 'deal_stale_alert')
    .where(sql<string>`payload->>'dealId'`, '=', String(dealId)).execute();

  it('alerts open deals idle past the period, once per period, never closed or fresh ones, at most N a run', async () => {
    const stale = await deal('KYC', 6);
    const agreement = await deal('AGREEMENT', 9);
    const fresh = await deal('NEW', 2);
    const paid = await deal('PAID', 30);
    const lost = await deal('LOST', 30);
    const results = await t.core.deals.raiseStaleAlerts();
    expect(results.filter((r) => r.status === 'alerted').map((r) => r.dealId)).toEqual([agreement.id, stale.id]);
    expect(results.find((r) => r.dealId === stale.id)).toMatchObject({ userId: agent.id, days: 6 });
    expect((await alerts(stale.id))[0]!.payload).toEqual({ dealId: stale.id, days: 6 });
    for (const d of [fresh, paid, lost]) expect(await alerts(d.id)).toEqual([]);
    const history = await t.core.deals.history(agent, stale.id, { limit: 5, offset: 0 });
    expect(history.items[0]).toMatchObject({ action: 'STALE_ALERT', actor_user_id: null, details: { days: 6 } });

    // The next run: nothing again within the period …
    expect((await t.core.deals.raiseStaleAlerts()).filter((r) => r.status === 'alerted')).toEqual([]);
    // … an alert whose message failed does not count …
    const [failed] = await alerts(stale.id);
    await h.db.updateTable('notifications').set({ status: 'failed' }).where('id', '=', failed!.id).execute();
    expect((await t.core.deals.raiseStaleAlerts()).filter((r) => r.status === 'alerted').map((r) => r.dealId)).toEqual([stale.id]);
    // … and after another full period it alerts again; alerting never touched last_activity_at.
    t.advance(5 * DAY_MS + 1);
    const later = await t.core.deals.raiseStaleAlerts();
    expect(later.filter((r) => r.status === 'alerted').map((r) => r.dealId).sort()).toEqual([agreement.id, stale.id, fresh.id].sort());
    const row = await h.db.selectFrom('deals').select('last_activity_at').where('id', '=', stale.id).executeTakeFirstOrThrow();
    expect(row.last_activity_at).toEqual(stale.last_activity_at);
  });

  it('a move is activity: the deal is fresh again', async () => {
    const d = await deal('NEW', 8);
    await t.core.deals.move(agent, { dealId: d.id, to: 'KYC', expectedVersion: d.version });
    const results = await t.core.deals.raiseStaleAlerts();
    expect(results.find((r) => r.dealId === d.id)).toBeUndefined();
  });

  it('two runs at once alert a deal once', async () => {
    const d = await deal('KYC', 20);
    t.advance(6 * DAY_MS);
    await Promise.all([t.core.deals.raiseStaleAlerts(), t.core.deals.raiseStaleAlerts()]);
    expect(await alerts(d.id)).toHaveLength(1);
  });
});
