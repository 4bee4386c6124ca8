import { Composer } from 'grammy';
import type { ReassignmentResult, User } from '../../core/index.js';
import {
  userCapacityAskData, userCapacityData, userDeactivateAskData, userDeactivateData, userOpenData,
  userReactivateData, userRoleData, usersPageData,
} from '../callback-data/users.js';
import type { ActiveContext } from '../context.js';
import { USER_CAPACITY_CONVERSATION } from '../conversations/user-capacity.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml, truncate } from '../html.js';
import { editTapped, sendView } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { errorText } from '../texts/errors.js';
import {
  USERS_PAGE_SIZE, renderDeactivateConfirm, renderUserList, renderUserScreen,
} from '../views/users.view.js';

/**
 * /users (§1, admins): the team's accounts → one user's screen → role,
 * capacity, deactivate (their open leads are reassigned, §4) or reactivate.
 * Every tap goes through core, which refuses non-admins, self-demotion and
 * changes to admins set by configuration; the person is told by core
 * through the outbox.
 */
export function usersFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  const listPage = async (ctx: ActiveContext, page: number) => {
    const { items, total } = await core.users.listManaged(ctx.user, { offset: (page - 1) * USERS_PAGE_SIZE, limit: USERS_PAGE_SIZE });
    return renderUserList(ctx.t, { items, total, page });
  };
  const screen = async (ctx: ActiveContext, userId: number, notice?: string) =>
    renderUserScreen(ctx.t, await core.users.getManaged(ctx.user, userId), ctx.user, notice);

  composer.command('users', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await listPage(ctx, 1));
  });

  onCallback(composer, usersPageData, core, async (ctx, data) => {
    await editTapped(ctx, await listPage(ctx, Math.max(data.page, 1)));
  });

  onCallback(composer, userOpenData, core, async (ctx, data) => {
    await editTapped(ctx, await screen(ctx, data.userId));
  });

  onCallback(composer, userRoleData, core, async (ctx, data) => {
    const user = await core.users.setRole(ctx.user, { userId: data.userId, role: data.role });
    ctx.log.info({ target_user_id: user.id, role: user.role }, 'user_role_changed');
    await editTapped(ctx, await screen(ctx, user.id, ctx.t.users.roleSet(escapeHtml(user.full_name), ctx.t.roles[user.role])));
  });

  onCallback(composer, userCapacityData, core, async (ctx, data) => {
    const user = await core.users.setCapacity(ctx.user, { userId: data.userId, capacity: data.capacity });
    ctx.log.info({ target_user_id: user.id, capacity: user.capacity }, 'user_capacity_changed');
    await editTapped(ctx, await screen(ctx, user.id, ctx.t.users.capacitySet(escapeHtml(user.full_name), user.capacity)));
  });

  onCallback(composer, userCapacityAskData, core, async (ctx, data) => {
    // Checked now as well as on saving: a non-admin is refused before being asked anything.
    const { user } = await core.users.getManaged(ctx.user, data.userId);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(USER_CAPACITY_CONVERSATION, { userId: user.id, name: user.full_name });
  });

  onCallback(composer, userDeactivateAskData, core, async (ctx, data) => {
    await editTapped(ctx, renderDeactivateConfirm(ctx.t, await core.users.getManaged(ctx.user, data.userId)));
  });

  onCallback(composer, userDeactivateData, core, async (ctx, data) => {
    const { user, results } = await core.users.deactivate(ctx.user, data.userId);
    ctx.log.info({
      target_user_id: user.id, leads: results.length, failed: results.filter((r) => r.status === 'error').length,
    }, 'user_deactivated');
    await editTapped(ctx, await screen(ctx, user.id, deactivationNotice(ctx, user, results)));
  });

  onCallback(composer, userReactivateData, core, async (ctx, data) => {
    const user = await core.users.reactivate(ctx.user, data.userId);
    ctx.log.info({ target_user_id: user.id }, 'user_reactivated');
    await editTapped(ctx, await screen(ctx, user.id, ctx.t.users.reactivated(escapeHtml(user.full_name))));
  });

  return composer;
}

/** "🚫 Ann deactivated …" plus one line per lead: its new owner, unassigned, or the error. */
function deactivationNotice(ctx: ActiveContext, user: User, results: ReassignmentResult[]): string {
  const t = ctx.t;
  const failed = results.filter((r) => r.status === 'error');
  const unassigned = results.filter((r) => r.status === 'ok' && r.assignedTo === null);
  const lines = results.slice(0, 30).map((r) => {
    if (r.status === 'error') return t.users.leadFailed(r.id, (r.error && errorText(t, r.error)) ?? t.common.somethingWrong);
    return r.assignedTo === null
      ? t.users.leadUnassigned(r.id)
      : t.users.leadMoved(r.id, escapeHtml(r.assignedToName ?? `#${r.assignedTo}`));
  });
  if (results.length > 30) lines.push(t.bulk.more(results.length - 30));
  const head = t.users.deactivated(escapeHtml(user.full_name), results.length - failed.length - unassigned.length,
    unassigned.length, failed.length);
  return [head, ...lines].join('\n');
}
