import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { Lead, NewLead, User } from '../../../core/database.js';
import { ForbiddenError, ValidationError } from '../../../core/errors.js';
import { UNASSIGNED, type LeadListFilters } from '../../../core/leads/lead-list.filters.js';
import { transitionStage } from '../../../core/leads/cold-pipeline.service.js';
import { listLeadsForUser } from '../../../core/leads/lead.repository.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
let agent: User;
let otherAgent: User;
let manager: User;
beforeAll(async () => {
  h = await createTestDb();
  agent = await makeUser(h.db, { name: 'Ann Agent' });
  otherAgent = await makeUser(h.db, { name: 'Oleg Other' });
  manager = await makeUser(h.db, { role: 'manager' });
});
afterAll(async () => { await h.close(); });
beforeEach(async () => {
  await h.db.deleteFrom('lead_history').execute();
  await h.db.deleteFrom('leads').execute();
});

const ids = (leads: Lead[]) => leads.map((l) => l.id);
const newestFirst = (leads: Lead[]) => ids(leads).sort((a, b) => b - a);
const list = async (actor: User, filters: LeadListFilters, limit = 50) =>
  ids((await listLeadsForUser(h.db, actor, { filters, limit })).items);

/** Every page of a list, following next_cursor. */
async function allPages(actor: User, filters: LeadListFilters, limit: number): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await listLeadsForUser(h.db, actor, { filters, limit, cursor });
    seen.push(...ids(page.items));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe('filtering /leads (§2, §6)', () => {
  let leads: Record<string, Lead>;
  beforeEach(async () => {
    const mk = (p: Partial<NewLead>) => makeLead(h.db, { assigned_to: agent.id, ...p });
    leads = {
      hotWeb: await mk({ quality_tier: 'HOT', ai_score: 0.9, source: 'WEB' }),
      warmReferral: await mk({ quality_tier: 'WARM', ai_score: 0.7, source: 'REFERRAL', stage: 'CONTACTED' }),
      unscored: await mk({ source: 'LEAD_MAGNET' }),
      lostHot: await mk({ quality_tier: 'HOT', ai_score: 0.85, stage: 'LOST', lost_reason: 'Spam' }),
      othersHot: await mk({ quality_tier: 'HOT', ai_score: 0.95, assigned_to: otherAgent.id }),
      unassigned: await mk({ quality_tier: 'COLD', ai_score: 0.4, assigned_to: null, source: 'PARTNER' }),
      deletedHot: await mk({ quality_tier: 'HOT', ai_score: 0.9, is_deleted: true, deleted_at: new Date() }),
    };
  });
  const of = (...names: string[]) => newestFirst(names.map((n) => leads[n]!));

  it('without filters lists the open, live leads: all for managers, their own for agents', async () => {
    expect(await list(manager, {})).toEqual(of('hotWeb', 'warmReferral', 'unscored', 'othersHot', 'unassigned'));
    expect(await list(agent, {})).toEqual(of('hotWeb', 'warmReferral', 'unscored'));
  });

  it('filters by stage, including the terminal ones when asked', async () => {
    expect(await list(manager, { stages: ['LOST'] })).toEqual(of('lostHot'));
    expect(await list(manager, { stages: ['NEW', 'CONTACTED', 'LOST'], qualityTiers: ['HOT', 'WARM'] }))
      .toEqual(of('hotWeb', 'warmReferral', 'lostHot', 'othersHot'));
  });

  it('filters by quality tier (values OR, filters AND); leads without a score have no tier', async () => {
    expect(await list(manager, { qualityTiers: ['HOT', 'WARM'] })).toEqual(of('hotWeb', 'warmReferral', 'othersHot'));
    expect(await list(manager, { qualityTiers: ['HOT'], sources: ['WEB'] })).toEqual(of('hotWeb', 'othersHot'));
    expect(await list(manager, { qualityTiers: ['DEAD'] })).toEqual([]);
  });

  it('filters by source', async () => {
    expect(await list(manager, { sources: ['REFERRAL', 'LEAD_MAGNET'] })).toEqual(of('warmReferral', 'unscored'));
  });

  it('lets managers filter by assignee, unassigned included', async () => {
    expect(await list(manager, { assignees: [otherAgent.id] })).toEqual(of('othersHot'));
    expect(await list(manager, { assignees: [UNASSIGNED] })).toEqual(of('unassigned'));
    expect(await list(manager, { assignees: [otherAgent.id, UNASSIGNED] })).toEqual(of('othersHot', 'unassigned'));
  });

  it('keeps an agent to their own leads whatever the filters, and refuses them the assignee filter', async () => {
    expect(await list(agent, { qualityTiers: ['HOT'] })).toEqual(of('hotWeb'));
    expect(await list(agent, { stages: ['LOST'] })).toEqual(of('lostHot'));
    await expect(list(agent, { assignees: [otherAgent.id] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(list(agent, { assignees: [UNASSIGNED] })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it.each([
    ['stage', { stages: ['WON'] }],
    ['quality_tier', { qualityTiers: ['hot'] }],
    ['source', { sources: ['WEBSITE'] }],
    ['source', { sources: 'WEB' }],
    ['assignee', { assignees: [-1] }],
    ['assignee', { assignees: ['nobody'] }],
  ])('refuses a %s value outside its enum with a ValidationError naming the field (%j)', async (field, filters) => {
    const error = await list(manager, filters as never).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
  });

  it('refuses an inactive user', async () => {
    const gone = await makeUser(h.db, { status: 'inactive' });
    await expect(list(gone, {})).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('keyset pages under filters (§6)', () => {
  it('pages through every match once, newest first, and refuses a forged cursor', async () => {
    const made: Lead[] = [];
    for (let i = 0; i < 23; i++) {
      made.push(await makeLead(h.db, { quality_tier: i % 2 ? 'HOT' : 'COLD', ai_score: i % 2 ? 0.9 : 0.4 }));
    }
    expect(await allPages(manager, { qualityTiers: ['HOT'] }, 5)).toEqual(newestFirst(made.filter((l) => l.quality_tier === 'HOT')));
    const first = await listLeadsForUser(h.db, manager, { limit: 5 });
    expect(first).toMatchObject({ hasNext: true, limit: 5 });
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(listLeadsForUser(h.db, manager, { cursor: 'not a cursor!' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('when leads are created, moved and reassigned between pages, none repeats and no other is skipped', async () => {
    const made: Lead[] = [];
    for (let i = 0; i < 12; i++) made.push(await makeLead(h.db, { assigned_to: agent.id, quality_tier: 'HOT', ai_score: 0.9 }));
    const filters: LeadListFilters = { stages: ['NEW', 'CONTACTED'], qualityTiers: ['HOT'] };
    const page1 = await listLeadsForUser(h.db, manager, { filters, limit: 4 });
    const shown = ids(page1.items);
    const rest = newestFirst(made).slice(4);

    // Between pages: a new matching lead, a shown lead moved on (still matching), a later one
    // moved out of the filter (LOST), another later one reassigned (version and updated_at change).
    const created = await makeLead(h.db, { quality_tier: 'HOT', ai_score: 0.9 });
    await transitionStage(h.db, { leadId: shown[1]!, to: 'CONTACTED', actor: manager });
    await transitionStage(h.db, { leadId: rest[2]!, to: 'LOST', actor: manager, reason: 'No budget' });
    await h.db.updateTable('leads').set({ assigned_to: otherAgent.id, version: 2, updated_at: new Date() })
      .where('id', '=', rest[5]!).execute();

    const later: number[] = [];
    let cursor = page1.nextCursor;
    while (cursor) {
      const page = await listLeadsForUser(h.db, manager, { filters, limit: 4, cursor });
      later.push(...ids(page.items));
      cursor = page.nextCursor;
    }
    expect(later.filter((id) => shown.includes(id))).toEqual([]);
    expect(later).not.toContain(created.id);
    expect(later).toEqual(rest.filter((id) => id !== rest[2]));
  });
});
