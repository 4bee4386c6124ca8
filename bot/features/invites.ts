import { Composer, InlineKeyboard } from 'grammy';
import { INVITE_PREFIX, INVITE_TTL_CHOICES_HOURS, ROLES, can } from '../../core/index.js';
import { inviteExpiryData, inviteRoleData } from '../callback-data/channels.js';
import type { ActiveContext, BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { editTapped } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { textsForUser } from '../texts/index.js';

/**
 * Joining the team (§1): `/start inv_<token>` — the link of an admin's
 * invite — makes whoever opens it staff with the invite's role (core
 * checks it is unused and unexpired, and tells the admin). Installed before
 * /start, for anyone who writes in a private chat.
 */
export function inviteJoinFeature({ core }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('start', async (ctx, next) => {
    const payload = ctx.match.trim();
    if (!payload.startsWith(INVITE_PREFIX)) return next();
    const from = ctx.from!;
    const { user, joined } = await core.users.joinByInvite({
      telegramId: from.id, username: from.username ?? null,
      fullName: [from.first_name, from.last_name].filter(Boolean).join(' '), language: ctx.lang,
    }, payload.slice(INVITE_PREFIX.length));
    ctx.user = user;
    ctx.t = textsForUser(core, user);
    if (joined) ctx.log.info({ joined_user_id: user.id, role: user.role }, 'staff_joined_by_invite');
    await ctx.reply(joined ? ctx.t.invites.joined(escapeHtml(user.full_name), ctx.t.roles[user.role])
      : ctx.t.invites.alreadyStaff(ctx.t.roles[user.role]), { parse_mode: 'HTML' });
  });
  return composer;
}

/**
 * /invite (admins, §1): pick a role, then how long the link may stay
 * unused; the bot shows the single-use `t.me/<bot>?start=inv_…` link.
 */
export function invitesFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('invite', async (ctx) => {
    if (!can(ctx.user, 'staff.invite')) return void await ctx.reply(ctx.t.access.adminsOnly);
    const kb = new InlineKeyboard();
    for (const role of ROLES) kb.text(ctx.t.roles[role], inviteRoleData.pack({ role }));
    await ctx.reply(ctx.t.invites.chooseRole, { parse_mode: 'HTML', reply_markup: kb });
  });

  onCallback(composer, inviteRoleData, core, async (ctx, data) => {
    const kb = new InlineKeyboard();
    for (const hours of INVITE_TTL_CHOICES_HOURS) kb.text(ctx.t.invites.expiry(hours), inviteExpiryData.pack({ role: data.role, hours }));
    await editTapped(ctx, { text: ctx.t.invites.chooseExpiry(ctx.t.roles[data.role]), keyboard: kb });
  });

  onCallback(composer, inviteExpiryData, core, async (ctx, data) => {
    // Core checks the admin again: the buttons prove nothing.
    const { invite, token } = await core.users.createInvite(ctx.user, { role: data.role, expiresInHours: data.hours });
    ctx.log.info({ invite_id: invite.id, role: invite.role }, 'staff_invite_created');
    const link = `https://t.me/${ctx.me.username}?start=${INVITE_PREFIX}${token}`;
    await editTapped(ctx, {
      text: ctx.t.invites.created(ctx.t.roles[invite.role], escapeHtml(link), ctx.t.time.at(invite.expires_at)),
      keyboard: new InlineKeyboard(),
    });
  });

  return composer;
}
