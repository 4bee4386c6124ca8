import { sql } from 'kysely';
import type { Db, User } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { getUser } from './user.service.js';
import { assertCan } from '../access/access-policy.js';
import { ConfiguredAdminError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { OPEN_STAGES } from '../leads/lead.constants.js';
import { ROLES, type Role } from './user.constants.js';

/** §4 capacity bounds an admin may set (max open leads per user). */
export const CAPACITY_MIN = 0;
export const CAPACITY_MAX = 10_000;

/** Statuses an admin manages here; pending and rejected people go through the access request (§1). */
const MANAGED_STATUSES = ['active', 'inactive'] as const;

/** Throws ForbiddenError unless the actor is an active admin (§1: admins manage users). */
export const assertAdmin = (actor: User): void => assertCan(actor, 'users.manage');

/** A user with their current load (§4: counted from the leads table). */
export interface ManagedUser { user: User; openLeads: number }

function withLoad(db: Db) {
  return db.selectFrom('users as u')
    .leftJoin('leads as l', (join) => join
      .onRef('l.assigned_to', '=', 'u.id').on('l.stage', 'in', OPEN_STAGES).on('l.is_deleted', '=', false))
    .selectAll('u')
    .select((eb) => eb.fn.count<number>('l.id').as('open_leads'))
    .where('u.status', 'in', MANAGED_STATUSES)
    .groupBy('u.id');
}

const toManaged = ({ open_leads, ...user }: User & { open_leads: number }): ManagedUser =>
  ({ user, openLeads: Number(open_leads) });

/**
 * /users (admins): active then deactivated users, by name, with their load;
 * offset pages (a team is small). limit 1–50. Throws ForbiddenError.
 */
export async function listManagedUsers(
  db: Db, actor: User, page: { offset: number; limit: number },
): Promise<{ items: ManagedUser[]; total: number }> {
  assertAdmin(actor);
  const limit = Math.min(Math.max(page.limit, 1), 50);
  const [rows, count] = await Promise.all([
    withLoad(db).orderBy(sql`u.status = 'active'`, 'desc').orderBy('u.full_name').orderBy('u.id')
      .limit(limit).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', 'in', MANAGED_STATUSES).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toManaged), total: Number(count.n) };
}

/** One user's admin screen. Throws ForbiddenError, NotFoundError('user') (also for pending/rejected people). */
export async function getManagedUser(db: Db, actor: User, userId: number): Promise<ManagedUser> {
  assertAdmin(actor);
  const row = await withLoad(db).where('u.id', '=', userId).executeTakeFirst();
  if (!row) throw new NotFoundError('user', userId);
  return toManaged(row);
}

/**
 * Updates an approved (active or deactivated) user; pending and rejected
 * people are decided through the access request instead. No rights check:
 * the admin functions of this folder check before calling it.
 * Throws NotFoundError('user'), ValidationError('user').
 */
export async function updateManagedUser(
  db: Db, userId: number, values: Partial<Pick<User, 'role' | 'capacity' | 'status'>>,
): Promise<User> {
  const updated = await db.updateTable('users').set({ ...values, updated_at: sql`now()` })
    .where('id', '=', userId).where('status', 'in', MANAGED_STATUSES).returningAll().executeTakeFirst();
  if (updated) return updated;
  const exists = await db.selectFrom('users').select('status').where('id', '=', userId).executeTakeFirst();
  if (!exists) throw new NotFoundError('user', userId);
  throw new ValidationError('user', `is ${exists.status}: decide the access request first`);
}

/**
 * An admin changes a user's role (§1). Admins cannot demote themselves (so
 * the team always keeps the admin who is acting). Leads stay with the user.
 * Throws ForbiddenError, ValidationError('role' | 'user'), NotFoundError.
 */
export async function setUserRole(
  db: Db, p: { userId: number; role: Role; actor: User; configuredAdmins?: readonly number[] },
): Promise<User> {
  assertAdmin(p.actor);
  if (!ROLES.includes(p.role)) throw new ValidationError('role', `must be one of ${ROLES.join(', ')}`);
  if (p.userId === p.actor.id && p.role !== 'admin') throw new ForbiddenError('Admins cannot demote themselves');
  return inTransaction(db, async (trx) => {
    const before = await getUser(trx, p.userId);
    if (p.role !== 'admin') assertNotConfiguredAdmin(before, p.configuredAdmins);
    const user = await updateManagedUser(trx, p.userId, { role: p.role });
    if (before.role !== user.role) await queueMessage(trx, { user: user.id }, { kind: 'role_changed', role: user.role });
    return user;
  });
}

/**
 * ADMIN_TELEGRAM_IDS make someone an admin at every /start: demoting or
 * deactivating them in the bot would silently be undone, so it is refused
 * with the reason. Throws ConfiguredAdminError.
 */
export function assertNotConfiguredAdmin(user: User, configuredAdmins: readonly number[] = []): void {
  if (configuredAdmins.includes(user.telegram_id)) throw new ConfiguredAdminError(user.id, user.full_name);
}

/**
 * An admin sets a user's capacity (§4): a whole number of open leads,
 * 0–10000. Lowering it below the current load takes no leads away; the user
 * just gets no new ones until the load drops.
 * Throws ForbiddenError, ValidationError('capacity' | 'user'), NotFoundError.
 */
export async function setUserCapacity(db: Db, p: { userId: number; capacity: number; actor: User }): Promise<User> {
  assertAdmin(p.actor);
  if (!Number.isInteger(p.capacity) || p.capacity < CAPACITY_MIN || p.capacity > CAPACITY_MAX) {
    throw new ValidationError('capacity', `must be a whole number from ${CAPACITY_MIN} to ${CAPACITY_MAX}`);
  }
  return updateManagedUser(db, p.userId, { capacity: p.capacity });
}

/**
 * An admin gives a deactivated user access back (§1); they start getting
 * new leads again, and are told (outbox). Idempotent for an active user.
 * Throws ForbiddenError, ValidationError('user'), NotFoundError.
 */
export async function reactivateUser(db: Db, p: { userId: number; actor: User }): Promise<User> {
  assertAdmin(p.actor);
  return inTransaction(db, async (trx) => {
    const before = await getUser(trx, p.userId);
    const user = await updateManagedUser(trx, p.userId, { status: 'active' });
    if (before.status !== 'active') await queueMessage(trx, { user: user.id }, { kind: 'account_reactivated' });
    return user;
  });
}
