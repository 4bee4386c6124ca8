import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { setAvailability } from './availability.service.js';
import { teamOverview } from './team.service.js';
import {
  getManagedUser, listManagedUsers, reactivateUser, setUserCapacity, setUserRole,
} from './user-admin.service.js';
import { deactivateUser } from './user-deactivation.service.js';
import {
  decideAccess, findUserByTelegramId, registerTelegramUser, setUserLanguage, setUserTimeZone,
  type AccessDecision, type TelegramProfile,
} from './user.service.js';
import type { Language, Role } from './user.constants.js';
import { createInvite, joinByInvite } from './invite.service.js';
import { assignWaitingLeads } from '../followups/pickup.service.js';

/** The people of the CRM (§1, §4): registration, access, one's own settings, the team and user admin. */
export function userUseCases(ctx: CoreContext) {
  const { db, config } = ctx;
  const configuredAdmins = config.ADMIN_TELEGRAM_IDS;
  /**
   * Issue 11: room appeared (someone is back, approved, given more
   * capacity), so waiting unassigned leads go out now, after the change
   * committed. A failure here is logged: the follow-ups job picks them up.
   */
  const thenPickUp = async <T>(result: T): Promise<T> => {
    await assignWaitingLeads(db).catch((err: unknown) => ctx.logger.warn({ err }, 'pickup_failed'));
    return result;
  };
  return {
    /** /start: registers configured admins, refreshes known users; null for anyone else (not staff). */
    register: (profile: TelegramProfile) => registerTelegramUser(db, profile, {
      adminTelegramIds: configuredAdmins, defaultCapacity: config.DEFAULT_CAPACITY,
    }),
    /** Whether the Telegram id is an admin by configuration (ADMIN_TELEGRAM_IDS). */
    isConfiguredAdmin: (telegramId: number) => configuredAdmins.includes(telegramId),
    /** /invite (admins): a single-use link for a role. Throws ForbiddenError, ValidationError. */
    createInvite: (viewer: User, p: { role: Role; expiresInHours: number }) => createInvite(db, viewer, { ...p, now: ctx.now() }),
    /** /start inv_…: whoever opens an invite becomes staff (§1). Throws InviteInvalidError. */
    joinByInvite: (profile: TelegramProfile, token: string) =>
      joinByInvite(db, profile, token, { now: ctx.now(), defaultCapacity: config.DEFAULT_CAPACITY }),
    /** The user behind a Telegram account (loaded per update, so rights apply at once). */
    byTelegramId: (telegramId: number) => findUserByTelegramId(db, telegramId),
    /** /lang: the viewer's own language. */
    setLanguage: (viewer: User, language: Language) => setUserLanguage(db, viewer.id, language),
    /** The IANA zone `user` reads times in: their own (/settings), else the team's TEAM_TIMEZONE. */
    timeZoneOf: (user: Pick<User, 'timezone'>): string => user.timezone ?? config.TEAM_TIMEZONE,
    /**
     * /settings: the viewer's own zone, an IANA name (stored canonical), or null for the team's.
     * Throws ForbiddenError (inactive viewer), ValidationError('timezone') for a non-zone. See setUserTimeZone.
     */
    setTimeZone: (viewer: User, zone: string | null) => setUserTimeZone(db, viewer, zone),
    /** /off, /on (§4). Throws ForbiddenError for an inactive viewer. */
    setAvailability: async (viewer: User, available: boolean) => {
      const result = await setAvailability(db, viewer.id, available);
      return available ? thenPickUp(result) : result;
    },
    /** An admin approves (with a role) or rejects a request (§1). See decideAccess. */
    decideAccess: async (viewer: User, userId: number, decision: AccessDecision) => {
      const user = await decideAccess(db, viewer, userId, decision);
      return decision.approve ? thenPickUp(user) : user;
    },
    /** /team (managers, admins). */
    team: (viewer: User) => teamOverview(db, { actor: viewer, staleAfterDays: config.STALE_AFTER_DAYS, now: ctx.now() }),
    /** /users (admins). */
    listManaged: (viewer: User, page: { offset: number; limit: number }) => listManagedUsers(db, viewer, page),
    getManaged: (viewer: User, userId: number) => getManagedUser(db, viewer, userId),
    setRole: (viewer: User, p: { userId: number; role: Role }) => setUserRole(db, { ...p, actor: viewer, configuredAdmins }),
    setCapacity: async (viewer: User, p: { userId: number; capacity: number }) =>
      thenPickUp(await setUserCapacity(db, { ...p, actor: viewer })),
    deactivate: (viewer: User, userId: number) => deactivateUser(db, { userId, actor: viewer, configuredAdmins }),
    reactivate: (viewer: User, userId: number) => reactivateUser(db, { userId, actor: viewer }),
  };
}
