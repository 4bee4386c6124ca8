import { Composer, type Api } from 'grammy';
import type { User } from '../../core/database.js';
import {
  getManagedUser, listManagedUsers, reactivateUser, setUserCapacity, setUserRole,
} from '../../core/users/user-admin.service.js';
import { deactivateUser, type ReassignmentResult } from '../../core/users/user-deactivation.service.js';
import { getUser } from '../../core/users/user.service.js';
import {
  userCapacityAskData, userCapacityData, userDeactivateAskData, userDeactivateData, userOpenData,
  userReactivateData, userRoleData, usersPageData,
} from '../callback-data/users.js';
import type { ActiveContext } from '../context.js';
import { USER_CAPACITY_CONVERSATION } from '../conversations/user-capacity.js';
import type { FeatureDeps } from '../deps.js';
import { escapeHtml, truncate } from '../html.js';
import { editTapped, notFoundAsNull, sendView } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import type { Logger } from '../../logger.js';
import { onCallback } from '../on-callback.js';
import { textsFor, type Texts } from '../texts/index.js';
import {
  USERS_PAGE_SIZE, renderDeactivateConfirm, renderUserList, renderUserScreen,
} from '../views/users.view.js';
import { personLabel } from '../views/lead-card.view.js';

/**
 * /users (§1, admins): the team's accounts → one user's screen → role,
 * capacity, deactivate (their open leads are reassigned, §4) or reactivate.
 * Every tap goes through core, which refuses non-admins and self-demotion.
 */
export function usersFeature({ db }: FeatureDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  const listPage = async (ctx: ActiveContext, page: number) => {
    const { items, total } = await listManagedUsers(db, ctx.user, { offset: (page - 1) * USERS_PAGE_SIZE, limit: USERS_PAGE_SIZE });
    return renderUserList(ctx.t, { items, total, page });
  };
  const screen = async (ctx: ActiveContext, userId: number, notice?: string) =>
    renderUserScreen(ctx.t, await getManagedUser(db, ctx.user, userId), ctx.user, notice);

  composer.command('users', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await listPage(ctx, 1));
  });

  onCallback(composer, usersPageData, db, async (ctx, data) => {
    await editTapped(ctx, await listPage(ctx, Math.max(data.page, 1)));
  });

  onCallback(composer, userOpenData, db, async (ctx, data) => {
    await editTapped(ctx, await screen(ctx, data.userId));
  });

  onCallback(composer, userRoleData, db, async (ctx, data) => {
    const before = await getManagedUser(db, ctx.user, data.userId);
    // The current role's button: nothing to change, nobody to tell.
    if (before.user.role === data.role) return editTapped(ctx, await screen(ctx, data.userId));
    const user = await setUserRole(db, { userId: data.userId, role: data.role, actor: ctx.user });
    ctx.log.info({ target_user_id: user.id, role: user.role }, 'user_role_changed');
    await editTapped(ctx, await screen(ctx, user.id, ctx.t.users.roleSet(escapeHtml(user.full_name), ctx.t.roles[user.role])));
    await tell(ctx.api, ctx.log, user, (t) => t.users.yourRoleIs(t.roles[user.role]));
  });

  onCallback(composer, userCapacityData, db, async (ctx, data) => {
    const user = await setUserCapacity(db, { userId: data.userId, capacity: data.capacity, actor: ctx.user });
    ctx.log.info({ target_user_id: user.id, capacity: user.capacity }, 'user_capacity_changed');
    await editTapped(ctx, await screen(ctx, user.id, ctx.t.users.capacitySet(escapeHtml(user.full_name), user.capacity)));
  });

  onCallback(composer, userCapacityAskData, db, async (ctx, data) => {
    // Checked now as well as on saving: a non-admin is refused before being asked anything.
    const { user } = await getManagedUser(db, ctx.user, data.userId);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(USER_CAPACITY_CONVERSATION, { userId: user.id, name: user.full_name });
  });

  onCallback(composer, userDeactivateAskData, db, async (ctx, data) => {
    await editTapped(ctx, renderDeactivateConfirm(ctx.t, await getManagedUser(db, ctx.user, data.userId)));
  });

  onCallback(composer, userDeactivateData, db, async (ctx, data) => {
    const { user, results } = await deactivateUser(db, { userId: data.userId, actor: ctx.user });
    ctx.log.info({
      target_user_id: user.id, leads: results.length, failed: results.filter((r) => r.status === 'error').length,
    }, 'user_deactivated');
    const notice = await deactivationNotice(ctx, user, results);
    await editTapped(ctx, await screen(ctx, user.id, notice));
    await tell(ctx.api, ctx.log, user, (t) => t.users.youWereDeactivated);
  });

  onCallback(composer, userReactivateData, db, async (ctx, data) => {
    const user = await reactivateUser(db, { userId: data.userId, actor: ctx.user });
    ctx.log.info({ target_user_id: user.id }, 'user_reactivated');
    await editTapped(ctx, await screen(ctx, user.id, ctx.t.users.reactivated(escapeHtml(user.full_name))));
    await tell(ctx.api, ctx.log, user, (t) => t.users.youWereReactivated);
  });

  /** "🚫 Ann deactivated …" plus one line per lead: its new owner, unassigned, or the error. */
  async function deactivationNotice(ctx: ActiveContext, user: User, results: ReassignmentResult[]): Promise<string> {
    const t = ctx.t;
    const names = new Map<number, string>();
    for (const id of new Set(results.map((r) => r.assignedTo).filter((x): x is number => x !== null))) {
      const owner = await getUser(db, id).catch(notFoundAsNull);
      names.set(id, owner ? personLabel(owner) : `#${id}`);
    }
    const failed = results.filter((r) => r.status === 'error');
    const unassigned = results.filter((r) => r.status === 'ok' && r.assignedTo === null);
    const lines = results.slice(0, 30).map((r) => {
      if (r.status === 'error') return t.users.leadFailed(r.id, escapeHtml(truncate(r.message, 120)));
      return r.assignedTo === null ? t.users.leadUnassigned(r.id) : t.users.leadMoved(r.id, names.get(r.assignedTo)!);
    });
    if (results.length > 30) lines.push(t.bulk.more(results.length - 30));
    const head = t.users.deactivated(escapeHtml(user.full_name), results.length - failed.length - unassigned.length,
      unassigned.length, failed.length);
    return [head, ...lines].join('\n');
  }

  return composer;
}

/**
 * A direct word to the person whose account changed, in their language.
 * Best effort: the change stands if they blocked the bot. (Not the outbox:
 * its messages are about leads, and a deactivated user may no longer see any.)
 */
async function tell(api: Api, log: Logger, user: User, text: (t: Texts) => string): Promise<void> {
  try {
    await api.sendMessage(user.telegram_id, text(textsFor(user.language)), { parse_mode: 'HTML' });
  } catch (err) {
    log.warn({ ...errorFields(err), target_user_id: user.id }, 'user_change_not_delivered');
  }
}
