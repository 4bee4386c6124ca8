import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { User } from '../../../core/database.js';
import type { DealStage } from '../../../core/deals/deal.constants.js';
import { ForbiddenError, ValidationError } from '../../../core/errors.js';
import { makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { dealTestCore, qualifiedLead } from './deal-test-core.js';

describe('/deals: keyset pages, stage filter, totals per stage (§9)', () => {
  let h: DbHandle;
  const store = createTestStore();
  let t: ReturnType<typeof dealTestCore>;
  let agent: User;
  let other: User;
  let manager: User;
  const ids: Record<string, number[]> = {};

  /** Inserts a deal directly in `stage` (the pipeline itself is tested elsewhere). */
  async function seed(owner: User, stage: DealStage, amount: number | null, currency = 'UAH') {
    const lead = await qualifiedLead(h.db, owner, { stage: 'TRANSFERRED' });
    const deal = await h.db.insertInto('deals').values({
      lead_id: lead.id, owner_id: owner.id, stage, amount_minor: amount, currency, created_by: owner.id,
      ...(stage === 'PAID' ? { closed_at: new Date(), duration_days: 1 } : {}),
    }).returning('id').executeTakeFirstOrThrow();
    (ids[`${owner.id}`] ??= []).push(deal.id);
    return deal.id;
  }

  beforeAll(async () => {
    h = await createTestDb();
    t = dealTestCore(h, store);
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    other = await makeUser(h.db, { name: 'Bob Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    for (let i = 0; i < 7; i++) await seed(agent, 'NEW', null);
    await seed(agent, 'KYC', null);
    await seed(agent, 'AGREEMENT', 1_250_050);
    await seed(agent, 'AGREEMENT', 4_999_950);
    await seed(agent, 'AGREEMENT', 10_000, 'USD');
    await seed(agent, 'PAID', 100_000);
    await seed(agent, 'LOST', null);
    await seed(other, 'KYC', null);
    await seed(other, 'AGREEMENT', 100);
  });
  afterAll(async () => {
    await store.close();
    await h.close();
  });

  it('an agent sees their own open deals, newest first, in keyset pages there and back', async () => {
    const p1 = await t.core.deals.list(agent, { limit: 4 });
    const open = ids[`${agent.id}`]!.slice(0, 11).reverse();
    expect(p1.items.map((d) => d.id)).toEqual(open.slice(0, 4));
    expect(p1).toMatchObject({ hasNext: true, hasPrev: false, prevCursor: null, limit: 4 });
    const p2 = await t.core.deals.list(agent, { limit: 4, cursor: p1.nextCursor });
    expect(p2.items.map((d) => d.id)).toEqual(open.slice(4, 8));
    expect(p2.hasPrev).toBe(true);
    const p3 = await t.core.deals.list(agent, { limit: 4, cursor: p2.nextCursor });
    expect(p3.items.map((d) => d.id)).toEqual(open.slice(8, 11));
    expect(p3.hasNext).toBe(false);
    const back = await t.core.deals.list(agent, { limit: 4, before: p3.prevCursor });
    expect(back.items.map((d) => d.id)).toEqual(open.slice(4, 8));
    const first = await t.core.deals.list(agent, { limit: 4, before: back.prevCursor });
    expect(first.items.map((d) => d.id)).toEqual(open.slice(0, 4));
    expect(first.hasPrev).toBe(false);
    expect(p1.items[0]).toMatchObject({ owner_name: 'Ann Agent', lead_company: 'Acme' });
  });

  it('totals per stage and currency cover the whole filtered set, exactly', async () => {
    const { totals } = await t.core.deals.list(agent, { limit: 1 });
    expect(totals).toEqual([
      { stage: 'AGREEMENT', currency: 'UAH', count: 2, amountMinor: '6250000' },
      { stage: 'AGREEMENT', currency: 'USD', count: 1, amountMinor: '10000' },
      { stage: 'KYC', currency: 'UAH', count: 1, amountMinor: '0' },
      { stage: 'NEW', currency: 'UAH', count: 7, amountMinor: '0' },
    ]);
  });

  it('filters by stage, closed ones included', async () => {
    const paid = await t.core.deals.list(agent, { stage: 'PAID' });
    expect(paid.items.map((d) => d.stage)).toEqual(['PAID']);
    expect(paid.totals).toEqual([{ stage: 'PAID', currency: 'UAH', count: 1, amountMinor: '100000' }]);
    expect((await t.core.deals.list(agent, { stage: 'LOST' })).items).toHaveLength(1);
    await expect(t.core.deals.list(agent, { stage: 'WON' as DealStage })).rejects.toBeInstanceOf(ValidationError);
    await expect(t.core.deals.list(agent, { cursor: '!!' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('a manager sees everyone\'s, or only their own with `mine`', async () => {
    const all = await t.core.deals.list(manager, { stage: 'KYC' });
    expect(all.items.map((d) => d.owner_id).sort()).toEqual([agent.id, other.id].sort());
    expect((await t.core.deals.list(manager, { mine: true })).items).toEqual([]);
    const others = await t.core.deals.list(other, {});
    expect(others.items.every((d) => d.owner_id === other.id)).toBe(true);
  });

  it('sums beyond 2^53 stay exact', async () => {
    const rich = await makeUser(h.db, { name: 'Rich' });
    await seed(rich, 'AGREEMENT', 900_000_000_000_000);
    await seed(rich, 'AGREEMENT', 900_000_000_000_000);
    await seed(rich, 'AGREEMENT', 900_000_000_000_001);
    const { totals } = await t.core.deals.list(rich, {});
    expect(totals).toEqual([{ stage: 'AGREEMENT', currency: 'UAH', count: 3, amountMinor: '2700000000000001' }]);
  });

  it('an inactive user sees nothing', async () => {
    const gone = await makeUser(h.db, { status: 'inactive' });
    await expect(t.core.deals.list(gone, {})).rejects.toBeInstanceOf(ForbiddenError);
    await sql`select 1`.execute(h.db);
  });
});
