import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import { ForbiddenError } from '../../../core/errors.js';
import { teamOverview } from '../../../core/users/team.service.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });
beforeEach(async () => {
  await h.db.deleteFrom('leads').execute();
  await h.db.deleteFrom('users').execute();
});

const DAY_MS = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY_MS);

describe('team overview (§1, §4, §10)', () => {
  it('shows each active user with load, capacity and stale count by the §10 rule', async () => {
    const manager = await makeUser(h.db, { role: 'manager', name: 'Mia' });
    const ann = await makeUser(h.db, { name: 'Ann', capacity: 5 });
    const bob = await makeUser(h.db, { name: 'Bob', capacity: 3, isAvailable: false });
    // Ann: 4 open (2 of them stale), plus leads that do not count.
    await makeLead(h.db, { assigned_to: ann.id, stage: 'NEW', last_activity_at: daysAgo(30) }); // open, NEW is never stale
    await makeLead(h.db, { assigned_to: ann.id, stage: 'CONTACTED', last_activity_at: daysAgo(8) }); // stale
    await makeLead(h.db, { assigned_to: ann.id, stage: 'QUALIFIED', last_activity_at: daysAgo(10) }); // stale
    await makeLead(h.db, { assigned_to: ann.id, stage: 'CONTACTED', last_activity_at: daysAgo(2) }); // fresh
    await makeLead(h.db, { assigned_to: ann.id, stage: 'LOST', lost_reason: 'x', last_activity_at: daysAgo(30) });
    await makeLead(h.db, { assigned_to: ann.id, stage: 'TRANSFERRED', last_activity_at: daysAgo(30) });
    await makeLead(h.db, {
      assigned_to: ann.id, stage: 'CONTACTED', last_activity_at: daysAgo(30), is_deleted: true, deleted_at: new Date(),
    });
    await makeLead(h.db, { assigned_to: null, stage: 'CONTACTED', last_activity_at: daysAgo(30) });

    const team = await teamOverview(h.db, { actor: manager, staleAfterDays: 7 });
    expect(team).toEqual([
      { userId: manager.id, fullName: 'Mia', username: null, role: 'manager', capacity: 20, isAvailable: true, openLeads: 0, staleLeads: 0, firstContactMs: null },
      { userId: ann.id, fullName: 'Ann', username: null, role: 'agent', capacity: 5, isAvailable: true, openLeads: 4, staleLeads: 2, firstContactMs: null },
      { userId: bob.id, fullName: 'Bob', username: null, role: 'agent', capacity: 3, isAvailable: false, openLeads: 0, staleLeads: 0, firstContactMs: null },
    ]);
  });

  it('uses the configured period: with 9 days, an 8-day-old CONTACTED lead is not stale yet', async () => {
    const admin = await makeUser(h.db, { role: 'admin' });
    const ann = await makeUser(h.db, { name: 'Ann' });
    await makeLead(h.db, { assigned_to: ann.id, stage: 'CONTACTED', last_activity_at: daysAgo(8) });
    const member = (await teamOverview(h.db, { actor: admin, staleAfterDays: 9 })).find((m) => m.userId === ann.id);
    expect(member).toMatchObject({ openLeads: 1, staleLeads: 0 });
  });

  it('lists admins, then managers, then agents, and leaves out pending, rejected and deactivated people', async () => {
    const agent = await makeUser(h.db, { name: 'Aaron' });
    const admin = await makeUser(h.db, { role: 'admin', name: 'Zoe' });
    const manager = await makeUser(h.db, { role: 'manager', name: 'Mark' });
    await makeUser(h.db, { status: 'pending' });
    await makeUser(h.db, { status: 'rejected' });
    await makeUser(h.db, { status: 'inactive' });
    const team = await teamOverview(h.db, { actor: manager, staleAfterDays: 7 });
    expect(team.map((m) => m.userId)).toEqual([admin.id, manager.id, agent.id]);
  });

  it('answers with one grouped query, however large the team', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    for (let i = 0; i < 5; i++) {
      const agent = await makeUser(h.db);
      await makeLead(h.db, { assigned_to: agent.id, stage: 'CONTACTED', last_activity_at: daysAgo(9) });
    }
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => { queries += 1; return args.node; },
      transformResult: async (args) => args.result,
    };
    const team = await teamOverview(h.db.withPlugin(counter), { actor: manager, staleAfterDays: 7 });
    expect(team).toHaveLength(6);
    expect(queries).toBe(1);
  });

  it('refuses agents and users who are not active', async () => {
    const agent = await makeUser(h.db);
    const formerManager = await makeUser(h.db, { role: 'manager', status: 'inactive' });
    await expect(teamOverview(h.db, { actor: agent, staleAfterDays: 7 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(teamOverview(h.db, { actor: formerManager, staleAfterDays: 7 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('speed-to-lead on /team (issue 11)', () => {
  it('shows each person\'s mean time from arrival to first contact over the last 30 days', async () => {
    const handle = await createTestDb();
    try {
      const manager = await makeUser(handle.db, { role: 'manager', name: 'Mia' });
      const ann = await makeUser(handle.db, { name: 'Ann' });
      const now = new Date();
      for (const minutes of [10, 20]) {
        const came = new Date(now.getTime() - 3_600_000);
        await makeLead(handle.db, { assigned_to: ann.id, created_at: came, first_contacted_at: new Date(came.getTime() + minutes * 60_000) });
      }
      const team = await teamOverview(handle.db, { actor: manager, staleAfterDays: 7, now });
      expect(team.find((m) => m.userId === ann.id)?.firstContactMs).toBe(15 * 60_000);
      expect(team.find((m) => m.userId === manager.id)?.firstContactMs).toBeNull();
    } finally {
      await handle.close();
    }
  });
});
