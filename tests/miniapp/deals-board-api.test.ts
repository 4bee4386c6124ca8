import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../core/index.js';
import { makeLead, makeUser } from '../support/factories.js';
import { initDataFor, startMiniApp, type MiniAppHarness } from './miniapp-harness.js';

describe('the deals board\'s server side: bad paths (§9, §14, §16)', () => {
  let m: MiniAppHarness;
  let mia: User;
  let ann: User;
  let bob: User;
  let annDeal: number;
  let bobDeal: number;

  const seedDeal = async (owner: User) => {
    const lead = await makeLead(m.handle.db, { assigned_to: owner.id, stage: 'TRANSFERRED' });
    return (await m.handle.db.insertInto('deals').values({ lead_id: lead.id, owner_id: owner.id, currency: 'UAH', created_by: owner.id })
      .returning('id').executeTakeFirstOrThrow()).id;
  };
  beforeAll(async () => {
    m = await startMiniApp();
    mia = await makeUser(m.handle.db, { role: 'manager', name: 'Mia' });
    ann = await makeUser(m.handle.db, { name: 'Ann' });
    bob = await makeUser(m.handle.db, { name: 'Bob' });
    annDeal = await seedDeal(ann);
    bobDeal = await seedDeal(bob);
  });
  afterAll(() => m.close());

  const post = (user: User, body: unknown, auth = `tma ${initDataFor(user)}`) => m.app.request('/app/api/deals/move', {
    method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const stageOf = async (id: number) =>
    m.handle.db.selectFrom('deals').select(['stage', 'amount_minor', 'version']).where('id', '=', id).executeTakeFirstOrThrow();

  it('offers both boards; the deals board needs signed init data', async () => {
    const me = await (await m.app.request('/app/api/me', { headers: { authorization: `tma ${initDataFor(ann)}` } })).json() as any;
    expect(me.boards).toEqual(['leads', 'deals']);
    expect((await m.app.request('/app/api/deals/board')).status).toBe(401);
    const forged = `tma ${initDataFor(ann, { token: '654321:forged-token-abcdefghijklmnopqrstu' })}`;
    expect((await post(ann, { dealId: annDeal, to: 'KYC', expectedVersion: 0 }, forged)).status).toBe(401);
  });

  it('refuses bad input, stale cards, others\' deals and amounts off AGREEMENT, changing nothing', async () => {
    const before = await stageOf(annDeal);
    const cases: [User, unknown, number, string][] = [
      [ann, { dealId: annDeal, to: 'SOMEWHERE', expectedVersion: before.version }, 422, 'VALIDATION'],
      [ann, { dealId: 'x', to: 'KYC', expectedVersion: before.version }, 422, 'VALIDATION'],
      [ann, { dealId: annDeal, to: 'KYC', expectedVersion: before.version, amount: '100' }, 422, 'VALIDATION'],
      [ann, { dealId: annDeal, to: 'KYC', expectedVersion: before.version + 5 }, 409, 'DEAL_CHANGED'],
      [ann, { dealId: annDeal, to: 'PAID', expectedVersion: before.version }, 409, 'INVALID_DEAL_TRANSITION'],
      [ann, { dealId: bobDeal, to: 'KYC', expectedVersion: 0 }, 403, 'FORBIDDEN'],
    ];
    for (const [user, body, status, code] of cases) {
      const res = await post(user, body);
      expect([res.status, ((await res.json()) as any).error], JSON.stringify(body)).toEqual([status, code]);
    }
    expect(await stageOf(annDeal)).toEqual(before);
    expect((await stageOf(bobDeal)).stage).toBe('NEW');
  });

  it('AGREEMENT without an amount or with an unreadable one is refused; a manager moves anyone\'s deal', async () => {
    const v = (await stageOf(bobDeal)).version;
    expect((await post(mia, { dealId: bobDeal, to: 'KYC', expectedVersion: v })).status).toBe(200);
    const kyc = await stageOf(bobDeal);
    const noAmount = await post(mia, { dealId: bobDeal, to: 'AGREEMENT', expectedVersion: kyc.version });
    expect([noAmount.status, ((await noAmount.json()) as any).rule]).toEqual([409, 'amount_required']);
    const unreadable = await post(mia, { dealId: bobDeal, to: 'AGREEMENT', expectedVersion: kyc.version, amount: 'lots' });
    expect([unreadable.status, ((await unreadable.json()) as any).error]).toEqual([422, 'INVALID_AMOUNT']);
    expect(await stageOf(bobDeal)).toEqual(kyc);
  });
});
