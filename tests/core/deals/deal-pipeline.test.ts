import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { Deal, User } from '../../../core/database.js';
import { DEAL_STAGES, type DealStage } from '../../../core/deals/deal.constants.js';
import { DEAL_UNDO_TTL_MS } from '../../../core/deals/deal-pipeline.service.js';
import {
  DealChangedError, DealTransitionError, ForbiddenError, NotFoundError, ReasonRequiredError, UndoExpiredError, ValidationError,
} from '../../../core/errors.js';
import { makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';
import { createTestStore } from '../../support/test-store.js';
import { DAY_MS, dealTestCore, qualifiedLead } from './deal-test-core.js';

const AMOUNT = { minor: 1_250_050, currency: 'UAH' };
const ALLOWED: Record<DealStage, DealStage[]> = {
  NEW: ['KYC', 'LOST'], KYC: ['AGREEMENT', 'LOST'], AGREEMENT: ['PAID', 'LOST'], PAID: [], LOST: [],
};

describe('the sales pipeline (§9)', () => {
  let h: DbHandle;
  const store = createTestStore();
  let t: ReturnType<typeof dealTestCore>;
  let agent: User;
  let other: User;
  let manager: User;
  let admin: User;

  beforeAll(async () => {
    h = await createTestDb();
    t = dealTestCore(h, store);
    agent = await makeUser(h.db, { name: 'Ann Agent' });
    other = await makeUser(h.db, { name: 'Bob Agent' });
    manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
    admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
  });
  afterAll(async () => {
    await store.close();
    await h.close();
  });

  async function dealOf(owner: User): Promise<Deal> {
    const lead = await qualifiedLead(h.db, owner);
    return (await t.core.deals.transfer(owner, { leadId: lead.id, expectedVersion: lead.version })).deal;
  }
  /** A deal of `owner`'s brought to `stage` the allowed way. */
  async function dealAt(stage: DealStage, owner = agent): Promise<Deal> {
    let deal = await dealOf(owner);
    const path: DealStage[] = stage === 'LOST' ? ['LOST'] : DEAL_STAGES.slice(1, DEAL_STAGES.indexOf(stage) + 1);
    for (const to of path) {
      ({ deal } = await t.core.deals.move(owner, {
        dealId: deal.id, to, expectedVersion: deal.version,
        ...(to === 'AGREEMENT' ? { amount: AMOUNT } : {}), ...(to === 'LOST' ? { reason: 'Went quiet' } : {}),
      }));
    }
    return deal;
  }
  const move = (deal: Deal, to: DealStage, p: { reason?: string; amount?: typeof AMOUNT } = {}, actor = agent) =>
    t.core.deals.move(actor, { dealId: deal.id, to, expectedVersion: deal.version, ...p });

  describe.each(DEAL_STAGES)('from %s', (from) => {
    it.each(DEAL_STAGES)(`to %s is allowed exactly when the pipeline says so`, async (to) => {
      const deal = await dealAt(from);
      const extra = to === 'LOST' ? { reason: 'No budget this year' } : to === 'AGREEMENT' ? { amount: AMOUNT } : {};
      const attempt = move(deal, to, extra);
      if (ALLOWED[from].includes(to)) {
        const { deal: moved, undoToken } = await attempt;
        expect(moved).toMatchObject({ stage: to, version: deal.version + 1 });
        expect(undoToken).toMatch(/^[\w-]{16}$/);
      } else {
        const err = await attempt.then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(DealTransitionError);
        const rule = (err as DealTransitionError).rule;
        if (from === 'PAID' || from === 'LOST') expect(rule).toBe('terminal');
        else if (to === from) expect(rule).toBe('same');
        else if (DEAL_STAGES.indexOf(to) < DEAL_STAGES.indexOf(from)) expect(rule).toBe('backward');
        else expect(rule).toBe('skip');
        expect((err as DealTransitionError).expectedStage).toBe(
          { NEW: 'KYC', KYC: 'AGREEMENT', AGREEMENT: 'PAID', PAID: null, LOST: null }[from] ?? null);
        const after = (await t.core.deals.card(agent, deal.id)).deal;
        expect(after).toMatchObject({ stage: from, version: deal.version });
      }
    });
  });

  it('AGREEMENT refuses to go without an amount and keeps the amount exactly, with its currency', async () => {
    const deal = await dealAt('KYC');
    const err = await move(deal, 'AGREEMENT').then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_DEAL_TRANSITION', rule: 'amount_required' });
    const { deal: agreed } = await move(deal, 'AGREEMENT', { amount: { minor: 999_999_999_999_999, currency: 'USD' } });
    expect(agreed).toMatchObject({ stage: 'AGREEMENT', amount_minor: 999_999_999_999_999, currency: 'USD' });
    const history = await t.core.deals.history(agent, deal.id, { limit: 1, offset: 0 });
    expect(history.items[0]).toMatchObject({
      action: 'STAGE_CHANGED', from_stage: 'KYC', to_stage: 'AGREEMENT', details: { amount_minor: 999_999_999_999_999, currency: 'USD' },
    });
  });

  it('an amount is set with AGREEMENT only', async () => {
    const deal = await dealAt('NEW');
    await expect(move(deal, 'KYC', { amount: AMOUNT })).rejects.toBeInstanceOf(ValidationError);
  });

  it('reads typed amounts in the deal\'s currency unless the text names another', async () => {
    const deal = await dealAt('KYC');
    expect(await t.core.deals.readAmount(agent, deal.id, '12 500,50')).toEqual({ minor: 1_250_050, currency: 'UAH' });
    expect(await t.core.deals.readAmount(agent, deal.id, '$12,500.50')).toEqual({ minor: 1_250_050, currency: 'USD' });
    await expect(t.core.deals.readAmount(agent, deal.id, 'twelve')).rejects.toMatchObject({ code: 'INVALID_AMOUNT', problem: 'not_a_number' });
    await expect(t.core.deals.readAmount(other, deal.id, '12')).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('PAID sets closed_at and duration_days from the deal\'s creation', async () => {
    const deal = await dealAt('AGREEMENT');
    t.advance(12 * DAY_MS + 3_600_000);
    const { deal: paid } = await move(deal, 'PAID');
    expect(paid).toMatchObject({ stage: 'PAID', closed_at: t.now(), duration_days: 12, amount_minor: AMOUNT.minor });
  });

  it('LOST needs a reason of at most 512 characters', async () => {
    const deal = await dealAt('KYC');
    await expect(move(deal, 'LOST')).rejects.toBeInstanceOf(ReasonRequiredError);
    await expect(move(deal, 'LOST', { reason: '   ' })).rejects.toBeInstanceOf(ReasonRequiredError);
    await expect(move(deal, 'LOST', { reason: 'x'.repeat(513) })).rejects.toBeInstanceOf(ValidationError);
    const { deal: lost } = await move(deal, 'LOST', { reason: 'я'.repeat(512) });
    expect(lost).toMatchObject({ stage: 'LOST', lost_reason: 'я'.repeat(512), closed_at: null });
  });

  it('a stale card changes nothing: DealChangedError with the current version', async () => {
    const deal = await dealAt('NEW');
    await move(deal, 'KYC', {}, manager);
    const err = await move(deal, 'LOST', { reason: 'No' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DealChangedError);
    expect(err).toMatchObject({ dealId: deal.id, currentVersion: deal.version + 1 });
  });

  it('a double tap applies a move once: the second tap is a replay', async () => {
    const deal = await dealAt('NEW');
    const [first, second] = await Promise.all([move(deal, 'KYC'), move(deal, 'KYC')]);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    const replay = first.replayed ? first : second;
    expect(replay).toMatchObject({ undoToken: null, deal: { stage: 'KYC', version: deal.version + 1 } });
    const rows = await t.core.deals.history(agent, deal.id, { limit: 10, offset: 0 });
    expect(rows.items.filter((r) => r.action === 'STAGE_CHANGED')).toHaveLength(1);
  });

  it('of two people moving one deal at once, exactly one wins', async () => {
    const deal = await dealAt('KYC');
    const results = await Promise.allSettled([move(deal, 'LOST', { reason: 'Lost' }), move(deal, 'AGREEMENT', { amount: AMOUNT }, manager)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(DealChangedError);
  });

  it('rights: the owner and managers move a deal; another agent neither sees nor moves it', async () => {
    const deal = await dealAt('NEW');
    await expect(t.core.deals.card(other, deal.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(move(deal, 'KYC', {}, other)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(t.core.deals.history(other, deal.id, { limit: 5, offset: 0 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(t.core.deals.card(agent, 999_999)).rejects.toBeInstanceOf(NotFoundError);
    const { deal: moved } = await move(deal, 'KYC', {}, manager);
    expect(moved.stage).toBe('KYC');
    expect((await t.core.deals.card(admin, deal.id)).actions).toEqual(['agreement', 'lost', 'history', 'lead']);
    expect((await t.core.deals.card(agent, deal.id)).actions).toEqual(['agreement', 'lost', 'history', 'lead']);
  });

  it('the owner is told when someone else moves their deal, not when they move it themselves', async () => {
    const deal = await dealAt('NEW');
    const notices = () => h.db.selectFrom('notifications').select(['kind', 'payload']).where('recipient_user_id', '=', agent.id)
      .where('kind', '=', 'deal_changed').execute();
    const before = (await notices()).length;
    const { deal: kyc } = await move(deal, 'KYC');
    expect((await notices()).length).toBe(before);
    await move(kyc, 'LOST', { reason: 'Chose a competitor' }, manager);
    expect((await notices()).at(-1)!.payload).toEqual({ dealId: deal.id, from: 'KYC', to: 'LOST', undone: false, byUserId: manager.id });
  });

  it('every move and undo is a sale.stage_changed event for subscribers (§13), in the same transaction', async () => {
    await h.db.insertInto('webhook_subscriptions').values({
      url: 'https://example.com/hook', events: ['sale.stage_changed', 'lead.transferred'], secret: 'whsec_test', description: null,
      disabled_reason: null, created_by: null,
    }).execute();
    const deal = await dealAt('NEW');
    const done = await move(deal, 'KYC');
    await t.core.deals.undo(agent, done.undoToken!);
    const events = await h.db.selectFrom('webhook_deliveries').select(['event_type', 'payload']).orderBy('id').execute();
    expect(events.map((e) => e.event_type)).toEqual(['lead.transferred', 'sale.stage_changed', 'sale.stage_changed']);
    expect((events[1]!.payload as { data: unknown }).data).toMatchObject({
      previous_stage: 'NEW', stage: 'KYC', sale: { id: deal.id, stage: 'KYC' }, lead: { id: deal.lead_id },
    });
    expect((events[2]!.payload as { data: unknown }).data).toMatchObject({ previous_stage: 'KYC', stage: 'NEW' });
  });

  describe('↩️ Undo (as a lead\'s)', () => {
    it('puts back the stage, the amount and the closing of a PAID deal', async () => {
      const deal = await dealAt('AGREEMENT');
      const { deal: paid, undoToken } = await move(deal, 'PAID');
      expect(paid.closed_at).not.toBeNull();
      const back = await t.core.deals.undo(agent, undoToken!);
      expect(back).toMatchObject({
        stage: 'AGREEMENT', amount_minor: AMOUNT.minor, currency: 'UAH', closed_at: null, duration_days: null, version: paid.version + 1,
      });
      const last = (await t.core.deals.history(agent, deal.id, { limit: 1, offset: 0 })).items[0];
      expect(last).toMatchObject({ action: 'UNDONE', from_stage: 'PAID', to_stage: 'AGREEMENT', actor_user_id: agent.id });
    });

    it('puts back a LOST deal with no reason, and an AGREEMENT without its amount', async () => {
      const lost = await dealAt('KYC');
      const { undoToken } = await move(lost, 'LOST', { reason: 'Gone' });
      expect(await t.core.deals.undo(agent, undoToken!)).toMatchObject({ stage: 'KYC', lost_reason: null });
      const agreed = await dealAt('KYC');
      const done = await move(agreed, 'AGREEMENT', { amount: { minor: 500, currency: 'EUR' } });
      expect(await t.core.deals.undo(agent, done.undoToken!)).toMatchObject({ stage: 'KYC', amount_minor: null, currency: 'UAH' });
    });

    it('only within 30 s, once, by the same person or an admin, and not after a later change', async () => {
      const deal = await dealAt('NEW');
      const done = await move(deal, 'KYC');
      await expect(t.core.deals.undo(other, done.undoToken!)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(t.core.deals.undo(manager, done.undoToken!)).rejects.toBeInstanceOf(ForbiddenError);
      await t.core.deals.undo(admin, done.undoToken!);
      await expect(t.core.deals.undo(agent, done.undoToken!)).rejects.toBeInstanceOf(UndoExpiredError);

      const fresh = (await t.core.deals.card(agent, deal.id)).deal;
      const again = await move(fresh, 'KYC');
      await move(again.deal, 'LOST', { reason: 'Gone' }, manager);
      await expect(t.core.deals.undo(agent, again.undoToken!)).rejects.toBeInstanceOf(DealChangedError);

      const late = await dealAt('NEW');
      const tooLate = await t.core.deals.move(agent, { dealId: late.id, to: 'KYC', expectedVersion: late.version });
      expect(DEAL_UNDO_TTL_MS).toBe(30_000);
      await store.delete(`deal-undo:${tooLate.undoToken}`); // the store's TTL passed
      await expect(t.core.deals.undo(agent, tooLate.undoToken!)).rejects.toBeInstanceOf(UndoExpiredError);
    });
  });
});
