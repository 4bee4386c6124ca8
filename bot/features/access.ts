import { Composer } from 'grammy';
import { ForbiddenError } from '../../core/errors.js';
import { decideAccess, getUser } from '../../core/users/user.service.js';
import { accessDecisionData } from '../callback-data/access.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { textsFor } from '../texts/index.js';
import { errorFields } from '../log-fields.js';

/**
 * An admin's ✅ Agent / ✅ Manager / ❌ Reject on an access request (§1).
 * The request message turns into the outcome, and the person is told in
 * their own language. A request another admin already decided is not
 * decided again.
 */
export function accessFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.callbackQuery(accessDecisionData.filter, async (ctx) => {
    const data = accessDecisionData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    const t = ctx.t;
    if (ctx.user.role !== 'admin') throw new ForbiddenError('Only admins decide access');

    const target = await getUser(db, data.userId);
    const name = escapeHtml(target.full_name);
    if (target.status !== 'pending') {
      await ctx.editMessageText(t.access.alreadyDecided(name, target.status), { parse_mode: 'HTML' });
      return;
    }
    const decided = await decideAccess(db, ctx.user, target.id,
      data.decision === 'reject' ? { approve: false } : { approve: true, role: data.decision });
    const admin = escapeHtml(ctx.user.full_name);
    await ctx.editMessageText(decided.status === 'active'
      ? t.access.decidedApproved(name, t.roles[decided.role], admin)
      : t.access.decidedRejected(name, admin), { parse_mode: 'HTML' });
    ctx.log.info({ target_user_id: decided.id, status: decided.status, role: decided.role }, 'access_decided');

    const theirs = textsFor(decided.language);
    try {
      await ctx.api.sendMessage(decided.telegram_id, decided.status === 'active'
        ? theirs.access.youWereApproved(theirs.roles[decided.role])
        : theirs.access.youWereRejected, { parse_mode: 'HTML' });
    } catch (err) {
      // The decision stands even if the person has blocked the bot meanwhile.
      ctx.log.warn({ ...errorFields(err), target_user_id: decided.id }, 'access_outcome_not_delivered');
    }
  });

  return composer;
}
