import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { User } from '../../../core/database.js';
import { ForbiddenError, ReasonRequiredError, ValidationError } from '../../../core/errors.js';
import { bulkAssign, bulkDelete, bulkTransition, type BulkResult } from '../../../core/leads/bulk.service.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { createConfig } from '../../../config.js';
import { createRateLimiter, rateLimitsFrom, type RateLimiter } from '../../../core/security/rate-limit.js';
import { createMemoryStore } from '../../../core/store/memory-store.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
let manager: User;
let admin: User;
let limiter: RateLimiter;
const RATE_LIMITS = rateLimitsFrom(createConfig({}));
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });
beforeEach(async () => {
  for (const table of ['notifications', 'lead_history', 'leads', 'users'] as const) await h.db.deleteFrom(table).execute();
  manager = await makeUser(h.db, { role: 'manager', name: 'Mia Manager' });
  admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
  limiter = createRateLimiter(createMemoryStore(), RATE_LIMITS);
});

const leadRow = (id: number) => h.db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();


/** A result as §6 shapes it for the API: the refusal objects stay in process. */
const asSent = (r: BulkResult) => ({ ...r, results: r.results.map(({ error: _error, ...item }) => item) });

describe('bulk stage change (§6, §3)', () => {
  it('applies each lead on its own and reports per lead; one bad lead never stops the others', async () => {
    const fresh = await makeLead(h.db, { stage: 'NEW' });
    const already = await makeLead(h.db, { stage: 'CONTACTED' });
    const lost = await makeLead(h.db, { stage: 'LOST', lost_reason: 'Spam' });
    const fresh2 = await makeLead(h.db, { stage: 'NEW' });

    const result = await bulkTransition(h.db, {
      leadIds: [fresh.id, already.id, lost.id, 999_999, fresh2.id], to: 'CONTACTED', actor: manager, limiter,
    });

    expect(asSent(result)).toEqual({
      processed: 5, succeeded: 2, failed: 3,
      results: [
        { id: fresh.id, status: 'ok', message: 'Moved to CONTACTED' },
        { id: already.id, status: 'error', message: 'The lead is already CONTACTED' },
        { id: lost.id, status: 'error', message: 'Cannot move from LOST to CONTACTED: LOST is terminal' },
        { id: 999_999, status: 'error', message: 'lead 999999 not found' },
        { id: fresh2.id, status: 'ok', message: 'Moved to CONTACTED' },
      ],
    });
    expect((await leadRow(fresh2.id)).stage).toBe('CONTACTED');
    expect((await leadRow(already.id)).stage).toBe('CONTACTED');
    const history = await listHistory(h.db, fresh.id, { limit: 5, offset: 0 });
    expect(history.items[0]).toMatchObject({ action: 'STAGE_CHANGED', from_stage: 'NEW', to_stage: 'CONTACTED', actor_user_id: manager.id });
  });

  it('skipping a stage is refused per lead with the expected stage named', async () => {
    const lead = await makeLead(h.db, { stage: 'NEW' });
    const result = await bulkTransition(h.db, { leadIds: [lead.id], to: 'QUALIFIED', actor: manager, limiter });
    expect(asSent(result).results).toEqual([{ id: lead.id, status: 'error', message: 'Cannot move from NEW to QUALIFIED. Expected CONTACTED' }]);
    // The refusal itself travels with the result, so the bot can say it in the reader's language.
    expect(result.results[0]!.error).toMatchObject({ code: 'INVALID_TRANSITION', rule: 'skip', expectedStage: 'CONTACTED' });
  });

  it('LOST takes the reason for every lead; without one nothing is done', async () => {
    const a = await makeLead(h.db);
    const b = await makeLead(h.db, { stage: 'QUALIFIED' });
    await expect(bulkTransition(h.db, { leadIds: [a.id], to: 'LOST', actor: manager, limiter }))
      .rejects.toBeInstanceOf(ReasonRequiredError);
    expect((await leadRow(a.id)).stage).toBe('NEW');
    const result = await bulkTransition(h.db, { leadIds: [a.id, b.id], to: 'LOST', reason: 'No budget', actor: admin, limiter });
    expect(result.succeeded).toBe(2);
    expect(await leadRow(b.id)).toMatchObject({ stage: 'LOST', lost_reason: 'No budget' });
  });

  it('counts each distinct lead once', async () => {
    const lead = await makeLead(h.db);
    const result = await bulkTransition(h.db, { leadIds: [lead.id, lead.id], to: 'CONTACTED', actor: manager, limiter });
    expect(result).toMatchObject({ processed: 1, succeeded: 1, failed: 0 });
  });
});

describe('refusals for the whole batch (§6, §1)', () => {
  it('refuses more than 100 ids and does nothing', async () => {
    const leads = [];
    for (let i = 0; i < 101; i++) leads.push(await makeLead(h.db));
    const ids = leads.map((l) => l.id);
    const error = await bulkTransition(h.db, { leadIds: ids, to: 'CONTACTED', actor: manager, limiter }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain('at most 100 leads');
    await expect(bulkDelete(h.db, { leadIds: ids, actor: admin, limiter })).rejects.toBeInstanceOf(ValidationError);
    const moved = await h.db.selectFrom('leads').select('id').where('stage', '!=', 'NEW').execute();
    expect(moved).toEqual([]);
    // 100 is allowed.
    expect((await bulkTransition(h.db, { leadIds: ids.slice(0, 100), to: 'CONTACTED', actor: manager, limiter })).succeeded).toBe(100);
  });

  it('refuses agents, for their own leads too', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    await expect(bulkTransition(h.db, { leadIds: [lead.id], to: 'CONTACTED', actor: agent, limiter }))
      .rejects.toBeInstanceOf(ForbiddenError);
    await expect(bulkAssign(h.db, { leadIds: [lead.id], toUserId: agent.id, actor: agent, limiter }))
      .rejects.toBeInstanceOf(ForbiddenError);
    expect((await leadRow(lead.id)).stage).toBe('NEW');
  });

  it('counts every lead it moves as one stage transition against the per-user limit (§16)', async () => {
    const tight = createRateLimiter(createMemoryStore(), { ...RATE_LIMITS, stage_transition: { limit: 7, windowMs: 60_000 } });
    const leads = [];
    for (let i = 0; i < 5; i++) leads.push(await makeLead(h.db));
    const ids = leads.map((l) => l.id);
    // Five moves; of the next five, two fit under the limit of seven and the rest are refused with it.
    expect((await bulkTransition(h.db, { leadIds: ids, to: 'CONTACTED', actor: manager, limiter: tight })).succeeded).toBe(5);
    const result = await bulkTransition(h.db, { leadIds: ids, to: 'QUALIFIED', actor: manager, limiter: tight });
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'ok', 'error', 'error', 'error']);
    expect(result.results[2]!.message).toMatch(/Rate limit for stage_transition reached \(7\)/);
    expect((await Promise.all(ids.map(leadRow))).map((l) => l.stage))
      .toEqual(['QUALIFIED', 'QUALIFIED', 'CONTACTED', 'CONTACTED', 'CONTACTED']);
  });

  it('does not count a lead the rules refuse', async () => {
    const tight = createRateLimiter(createMemoryStore(), { ...RATE_LIMITS, stage_transition: { limit: 1, windowMs: 60_000 } });
    const skipped = await makeLead(h.db, { stage: 'NEW' });
    const ready = await makeLead(h.db, { stage: 'CONTACTED' });
    const result = await bulkTransition(h.db, { leadIds: [skipped.id, ready.id], to: 'QUALIFIED', actor: manager, limiter: tight });
    expect(result.results.map((r) => r.status)).toEqual(['error', 'ok']);
  });

  it('a batch refused as a whole does not use up the limit', async () => {
    const once = createRateLimiter(createMemoryStore(), { ...RATE_LIMITS, stage_transition: { limit: 1, windowMs: 60_000 } });
    const lead = await makeLead(h.db);
    await expect(bulkDelete(h.db, { leadIds: [lead.id], actor: manager, limiter: once })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(bulkTransition(h.db, { leadIds: [], to: 'CONTACTED', actor: manager, limiter: once }))
      .rejects.toBeInstanceOf(ValidationError);
    expect((await bulkTransition(h.db, { leadIds: [lead.id], to: 'CONTACTED', actor: manager, limiter: once })).succeeded).toBe(1);
  });
});

describe('bulk assign (§6, §4)', () => {
  it('checks the target\'s capacity per lead: fills them up, then reports the rest', async () => {
    const target = await makeUser(h.db, { name: 'Tara', capacity: 2 });
    const previous = await makeUser(h.db, { name: 'Pete' });
    const leads = [];
    for (let i = 0; i < 3; i++) leads.push(await makeLead(h.db, { assigned_to: previous.id }));

    const result = await bulkAssign(h.db, { leadIds: leads.map((l) => l.id), toUserId: target.id, actor: manager, limiter });

    expect(asSent(result)).toEqual({
      processed: 3, succeeded: 2, failed: 1,
      results: [
        { id: leads[0]!.id, status: 'ok', message: 'Assigned to Tara' },
        { id: leads[1]!.id, status: 'ok', message: 'Assigned to Tara' },
        { id: leads[2]!.id, status: 'error', message: 'Tara is full: 2/2' },
      ],
    });
    expect((await leadRow(leads[2]!.id)).assigned_to).toBe(previous.id);
    const cards = await h.db.selectFrom('notifications').selectAll().where('kind', '=', 'lead_card').execute();
    expect(cards.map((n) => [n.recipient_user_id, n.lead_id])).toEqual([[target.id, leads[0]!.id], [target.id, leads[1]!.id]]);
  });

  it('reports every lead when the target cannot take leads', async () => {
    const gone = await makeUser(h.db, { name: 'Gone', status: 'inactive' });
    const lead = await makeLead(h.db);
    const result = await bulkAssign(h.db, { leadIds: [lead.id], toUserId: gone.id, actor: manager, limiter });
    expect(result).toMatchObject({ succeeded: 0, failed: 1, results: [{ id: lead.id, status: 'error', message: 'Gone cannot take leads (inactive)' }] });
  });
});

describe('bulk delete (§6)', () => {
  it('admins soft-delete each lead with history', async () => {
    const a = await makeLead(h.db);
    const b = await makeLead(h.db, { is_deleted: true, deleted_at: new Date() });
    const result = await bulkDelete(h.db, { leadIds: [a.id, b.id], actor: admin, limiter });
    expect(asSent(result)).toEqual({
      processed: 2, succeeded: 1, failed: 1,
      results: [{ id: a.id, status: 'ok', message: 'Deleted' }, { id: b.id, status: 'error', message: `lead ${b.id} not found` }],
    });
    expect(await leadRow(a.id)).toMatchObject({ is_deleted: true, deleted_by: admin.id });
    expect((await listHistory(h.db, a.id, { limit: 5, offset: 0 })).items[0]).toMatchObject({ action: 'DELETED' });
  });

  it('refuses managers and deletes nothing', async () => {
    const lead = await makeLead(h.db);
    await expect(bulkDelete(h.db, { leadIds: [lead.id], actor: manager, limiter })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await leadRow(lead.id)).is_deleted).toBe(false);
  });
});
