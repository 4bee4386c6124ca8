import { AccessAlreadyDecidedError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { sql } from 'kysely';
import type { Db, User } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { assertActive, assertCan, LEAD_SUPERVISOR_ROLES } from '../access/access-policy.js';
import { canonicalTimeZone } from '../time-zone.js';
import { type Language, type Role, ROLES } from './user.constants.js';

export interface TelegramProfile {
  telegramId: number;
  username: string | null;
  fullName: string;
  language: Language;
}

/**
 * Registers (or refreshes) staff behind a Telegram account (§1). Ids in
 * adminTelegramIds become active admins from their first /start; a known
 * user keeps role, status and language, and only the profile (name,
 * username) is refreshed. Anyone else is not staff: null — they join with
 * an invite (joinByInvite) or write to the bot as a customer (§12). Users
 * who asked for access before invites existed stay pending and are decided
 * as before (decideAccess). `isNew`: this call created the user.
 */
export async function registerTelegramUser(
  db: Db,
  profile: TelegramProfile,
  opts: { adminTelegramIds: readonly number[]; defaultCapacity: number },
): Promise<{ user: User; isNew: boolean } | null> {
  const isAdmin = opts.adminTelegramIds.includes(profile.telegramId);
  if (!isAdmin) {
    const known = await findUserByTelegramId(db, profile.telegramId);
    if (!known) return null;
    const user = await db.updateTable('users')
      .set({ username: profile.username, full_name: fullNameOf(profile), updated_at: new Date() })
      .where('id', '=', known.id).returningAll().executeTakeFirstOrThrow();
    return { user, isNew: false };
  }
  const { inserted, ...user } = await upsertAdmin(db, profile, opts);
  return { user, isNew: inserted };
}

// By code point, so a name cut at the limit never ends in half an emoji.
const fullNameOf = (profile: TelegramProfile) => [...profile.fullName].slice(0, 256).join('') || `user ${profile.telegramId}`;

function upsertAdmin(db: Db, profile: TelegramProfile, opts: { defaultCapacity: number }) {
  return db
    .insertInto('users')
    .values({
      telegram_id: profile.telegramId,
      username: profile.username,
      full_name: fullNameOf(profile),
      role: 'admin',
      status: 'active',
      capacity: opts.defaultCapacity,
      language: profile.language,
    })
    .onConflict((oc) =>
      oc.column('telegram_id').doUpdateSet((eb) => ({
        username: eb.ref('excluded.username'),
        full_name: eb.ref('excluded.full_name'),
        // A configured admin id is an admin even if it registered before the config said so.
        role: 'admin' as const,
        status: 'active' as const,
        updated_at: new Date(),
      })))
    .returningAll()
    // xmax is 0 on a row this statement inserted, not on one it updated.
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .executeTakeFirstOrThrow();
}

/** The user behind a Telegram id, or undefined. */
export async function findUserByTelegramId(db: Db, telegramId: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('telegram_id', '=', telegramId).executeTakeFirst();
}

/** Throws NotFoundError('user'). */
export async function getUser(db: Db, id: number): Promise<User> {
  const user = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user) throw new NotFoundError('user', id);
  return user;
}

/** Active managers and admins: the audience for unassigned leads (§4). */
export async function listActiveManagers(db: Db): Promise<User[]> {
  return db.selectFrom('users').selectAll()
    .where('status', '=', 'active').where('role', 'in', LEAD_SUPERVISOR_ROLES)
    .orderBy('id').execute();
}

/** Active admins: who approves access requests. */
export async function listActiveAdmins(db: Db): Promise<User[]> {
  return db.selectFrom('users').selectAll()
    .where('status', '=', 'active').where('role', '=', 'admin').orderBy('id').execute();
}

/** Users waiting for approval, oldest first. */
export async function listPendingUsers(db: Db): Promise<User[]> {
  return db.selectFrom('users').selectAll().where('status', '=', 'pending').orderBy('created_at').execute();
}

export type AccessDecision = { approve: true; role: Role } | { approve: false };

/**
 * An admin approves a pending user with a role, or rejects them (§1). Only
 * a pending user is decided: of two admins tapping at once, one decides and
 * the other gets AccessAlreadyDecidedError with the outcome. The person is
 * told the outcome through the outbox, in the same transaction.
 * Throws ForbiddenError (actor not an active admin, or deciding about
 * themselves), NotFoundError, ValidationError (unknown role),
 * AccessAlreadyDecidedError.
 */
export async function decideAccess(db: Db, actor: User, userId: number, decision: AccessDecision): Promise<User> {
  assertCan(actor, 'access.decide');
  if (actor.id === userId) throw new ForbiddenError('Admins cannot change their own access');
  if (decision.approve && !ROLES.includes(decision.role)) throw new ValidationError('role', 'unknown role');
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('users')
      .set(decision.approve
        ? { status: 'active', role: decision.role, updated_at: new Date() }
        : { status: 'rejected', updated_at: new Date() })
      .where('id', '=', userId)
      .where('status', '=', 'pending')
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new AccessAlreadyDecidedError(await getUser(trx, userId));
    await queueMessage(trx, { user: updated.id }, {
      kind: 'access_decided', approved: decision.approve, role: decision.approve ? decision.role : null,
    });
    return updated;
  });
}

/** Stores the user's interface language. */
export async function setUserLanguage(db: Db, userId: number, language: Language): Promise<User> {
  return db.updateTable('users').set({ language, updated_at: new Date() }).where('id', '=', userId)
    .returningAll().executeTakeFirstOrThrow();
}

/**
 * The zone a user reads times in (/settings, §1): an IANA name such as
 * "Europe/Kyiv", stored as the runtime spells it ("europe/kyiv" →
 * "Europe/Kyiv"), or null to follow the team's zone (TEAM_TIMEZONE), also
 * when that setting changes later. Returns the updated user.
 * Throws ForbiddenError (the user is not active), ValidationError('timezone')
 * for a name that is not a zone (offsets like "+02:00" included: they shift
 * wrongly across daylight saving time).
 */
export async function setUserTimeZone(db: Db, user: User, zone: string | null): Promise<User> {
  assertActive(user);
  const timezone = zone === null ? null : canonicalTimeZone(zone);
  if (zone !== null && timezone === null) throw new ValidationError('timezone', 'not an IANA time zone');
  return db.updateTable('users').set({ timezone, updated_at: new Date() }).where('id', '=', user.id)
    .returningAll().executeTakeFirstOrThrow();
}
