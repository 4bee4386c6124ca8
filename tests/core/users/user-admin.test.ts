import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/create-db.js';
import type { User } from '../../../core/database.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../core/errors.js';
import { listHistory } from '../../../core/leads/lead-history.repository.js';
import { getLead } from '../../../core/leads/lead.repository.js';
import { createLead } from '../../../core/leads/lead.service.js';
import {
  getManagedUser, listManagedUsers, reactivateUser, setUserCapacity, setUserRole,
} from '../../../core/users/user-admin.service.js';
import { deactivateUser } from '../../../core/users/user-deactivation.service.js';
import { getUser } from '../../../core/users/user.service.js';
import { makeLead, makeUser } from '../../support/factories.js';
import { createTestDb } from '../../support/test-db.js';

let h: DbHandle;
let admin: User;
beforeAll(async () => { h = await createTestDb(); });
afterAll(async () => { await h.close(); });
beforeEach(async () => {
  for (const table of ['notifications', 'lead_history', 'leads', 'users'] as const) await h.db.deleteFrom(table).execute();
  admin = await makeUser(h.db, { role: 'admin', name: 'Ada Admin' });
});

// The lead messages (the deactivated person's own notice is checked apart).
const notifications = () => h.db.selectFrom('notifications').selectAll().where('lead_id', 'is not', null).orderBy('id').execute();

describe('roles (§1)', () => {
  it('an admin changes a user\'s role; the user keeps their leads', async () => {
    const agent = await makeUser(h.db);
    const lead = await makeLead(h.db, { assigned_to: agent.id });
    expect(await setUserRole(h.db, { userId: agent.id, role: 'manager', actor: admin })).toMatchObject({ role: 'manager' });
    expect((await getLead(h.db, lead.id)).assigned_to).toBe(agent.id);
  });

  it('refuses managers and agents, an admin demoting themselves, unknown roles and undecided people', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const agent = await makeUser(h.db);
    const pending = await makeUser(h.db, { status: 'pending' });
    await expect(setUserRole(h.db, { userId: agent.id, role: 'admin', actor: manager })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setUserRole(h.db, { userId: manager.id, role: 'agent', actor: agent })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setUserRole(h.db, { userId: admin.id, role: 'manager', actor: admin })).rejects.toThrow('cannot demote themselves');
    await expect(setUserRole(h.db, { userId: agent.id, role: 'boss' as never, actor: admin })).rejects.toBeInstanceOf(ValidationError);
    await expect(setUserRole(h.db, { userId: pending.id, role: 'manager', actor: admin })).rejects.toBeInstanceOf(ValidationError);
    await expect(setUserRole(h.db, { userId: 999_999, role: 'manager', actor: admin })).rejects.toBeInstanceOf(NotFoundError);
    expect(await getUser(h.db, admin.id)).toMatchObject({ role: 'admin' });
    expect(await getUser(h.db, pending.id)).toMatchObject({ role: 'agent', status: 'pending' });
  });
});

describe('capacity (§4)', () => {
  it('an admin sets any whole number from 0 to 10000', async () => {
    const agent = await makeUser(h.db);
    expect(await setUserCapacity(h.db, { userId: agent.id, capacity: 0, actor: admin })).toMatchObject({ capacity: 0 });
    expect(await setUserCapacity(h.db, { userId: agent.id, capacity: 10_000, actor: admin })).toMatchObject({ capacity: 10_000 });
  });

  it('refuses numbers out of range or fractional, and non-admins', async () => {
    const agent = await makeUser(h.db, { capacity: 7 });
    const manager = await makeUser(h.db, { role: 'manager' });
    for (const capacity of [-1, 10_001, 2.5, Number.NaN]) {
      await expect(setUserCapacity(h.db, { userId: agent.id, capacity, actor: admin })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(setUserCapacity(h.db, { userId: agent.id, capacity: 3, actor: manager })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getUser(h.db, agent.id)).capacity).toBe(7);
  });
});

describe('listing users (admins)', () => {
  it('lists active then deactivated users with their load, never pending or rejected people', async () => {
    const ann = await makeUser(h.db, { name: 'Ann' });
    const gone = await makeUser(h.db, { name: 'Aaron', status: 'inactive' });
    await makeUser(h.db, { status: 'pending' });
    await makeUser(h.db, { status: 'rejected' });
    await makeLead(h.db, { assigned_to: ann.id });
    await makeLead(h.db, { assigned_to: ann.id, stage: 'LOST', lost_reason: 'x' });
    const { items, total } = await listManagedUsers(h.db, admin, { offset: 0, limit: 10 });
    expect(total).toBe(3);
    expect(items.map((m) => [m.user.id, m.openLeads])).toEqual([[admin.id, 0], [ann.id, 1], [gone.id, 0]]);
    expect((await getManagedUser(h.db, admin, ann.id)).openLeads).toBe(1);
    const manager = await makeUser(h.db, { role: 'manager' });
    await expect(listManagedUsers(h.db, manager, { offset: 0, limit: 10 })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('deactivation (§1, §4)', () => {
  it('switches the user off and reassigns each open lead by free capacity, with history and a card to each new owner', async () => {
    const leaving = await makeUser(h.db, { name: 'Leaving' });
    // §4: most free capacity first (Roomy 3 > Tight 2), then a tie (2 = 2) goes round-robin to Tight.
    const roomy = await makeUser(h.db, { name: 'Roomy', capacity: 3 });
    const tight = await makeUser(h.db, { name: 'Tight', capacity: 2 });
    const open1 = await makeLead(h.db, { assigned_to: leaving.id, stage: 'NEW' });
    const open2 = await makeLead(h.db, { assigned_to: leaving.id, stage: 'CONTACTED' });
    const closed = await makeLead(h.db, { assigned_to: leaving.id, stage: 'LOST', lost_reason: 'Spam' });

    const { user, results } = await deactivateUser(h.db, { userId: leaving.id, actor: admin });

    expect(user.status).toBe('inactive');
    expect(results).toEqual([
      { id: open1.id, status: 'ok', assignedTo: roomy.id, assignedToName: 'Roomy', message: 'Reassigned to Roomy' },
      { id: open2.id, status: 'ok', assignedTo: tight.id, assignedToName: 'Tight', message: 'Reassigned to Tight' },
    ]);
    const moved = await getLead(h.db, open1.id);
    expect(moved).toMatchObject({ assigned_to: roomy.id, version: open1.version + 1 });
    expect((await getLead(h.db, closed.id)).assigned_to).toBe(leaving.id);
    const history = await listHistory(h.db, open2.id, { limit: 5, offset: 0 });
    expect(history.items[0]).toMatchObject({
      action: 'ASSIGNED', actor_user_id: admin.id,
      details: { from_user_id: leaving.id, to_user_id: tight.id, by: 'deactivation' },
    });
    expect((await notifications()).map((n) => [n.kind, n.recipient_user_id, n.lead_id, n.payload])).toEqual([
      ['lead_card', roomy.id, open1.id, { leadId: open1.id, reason: 'deactivation', byUserId: admin.id }],
      ['lead_card', tight.id, open2.id, { leadId: open2.id, reason: 'deactivation', byUserId: admin.id }],
    ]);
  });

  it('leaves leads nobody can take unassigned and tells the active managers', async () => {
    const leaving = await makeUser(h.db);
    const manager = await makeUser(h.db, { role: 'manager' });
    await makeUser(h.db, { capacity: 0 });
    await makeUser(h.db, { isAvailable: false });
    const lead = await makeLead(h.db, { assigned_to: leaving.id });

    const { results } = await deactivateUser(h.db, { userId: leaving.id, actor: admin });

    expect(results).toEqual([{ id: lead.id, status: 'ok', assignedTo: null, assignedToName: null, message: 'Nobody has capacity: left unassigned' }]);
    expect((await getLead(h.db, lead.id)).assigned_to).toBeNull();
    const rows = await notifications();
    expect(rows.map((n) => n.kind)).toEqual(['unassigned_lead', 'unassigned_lead']);
    expect(rows.map((n) => n.recipient_user_id).sort()).toEqual([admin.id, manager.id].sort());
  });

  it('makes the user no candidate for new leads', async () => {
    const leaving = await makeUser(h.db, { capacity: 50 });
    const other = await makeUser(h.db, { capacity: 1 });
    await deactivateUser(h.db, { userId: leaving.id, actor: admin });
    expect((await createLead(h.db, { source: 'WEB', email: 'new@example.com' })).assigned_to).toBe(other.id);
    expect((await createLead(h.db, { source: 'WEB', email: 'new2@example.com' })).assigned_to).toBeNull();
  });

  it('run again for a deactivated user, moves only what is still theirs (finishing an interrupted run)', async () => {
    const leaving = await makeUser(h.db, { status: 'inactive' });
    const agent = await makeUser(h.db);
    const leftover = await makeLead(h.db, { assigned_to: leaving.id });
    const { results } = await deactivateUser(h.db, { userId: leaving.id, actor: admin });
    expect(results).toMatchObject([{ id: leftover.id, status: 'ok', assignedTo: agent.id }]);
  });

  it('refuses an admin deactivating themselves, non-admins, and undecided people', async () => {
    const manager = await makeUser(h.db, { role: 'manager' });
    const agent = await makeUser(h.db);
    const pending = await makeUser(h.db, { status: 'pending' });
    await expect(deactivateUser(h.db, { userId: admin.id, actor: admin })).rejects.toThrow('cannot deactivate themselves');
    await expect(deactivateUser(h.db, { userId: agent.id, actor: manager })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deactivateUser(h.db, { userId: pending.id, actor: admin })).rejects.toBeInstanceOf(ValidationError);
    expect((await getUser(h.db, admin.id)).status).toBe('active');
    expect((await getUser(h.db, agent.id)).status).toBe('active');
  });

  it('reactivation gives access back and makes the user a candidate again', async () => {
    const gone = await makeUser(h.db, { status: 'inactive' });
    expect(await reactivateUser(h.db, { userId: gone.id, actor: admin })).toMatchObject({ status: 'active' });
    expect((await createLead(h.db, { source: 'WEB', email: 'back@example.com' })).assigned_to).toBe(gone.id);
    const manager = await makeUser(h.db, { role: 'manager' });
    await expect(reactivateUser(h.db, { userId: gone.id, actor: manager })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
