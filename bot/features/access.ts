import { Composer } from 'grammy';
import { AccessAlreadyDecidedError } from '../../core/index.js';
import { accessDecisionData } from '../callback-data/access.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { onCallback } from '../on-callback.js';

/**
 * An admin's ✅ Agent / ✅ Manager / ❌ Reject on an access request (§1).
 * The request message turns into the outcome; core tells the person in
 * their own language (outbox). A request another admin already decided is
 * not decided again.
 */
export function accessFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, accessDecisionData, core, async (ctx, data) => {
    const t = ctx.t;
    let decided;
    try {
      decided = await core.users.decideAccess(ctx.user, data.userId,
        data.decision === 'reject' ? { approve: false } : { approve: true, role: data.decision });
    } catch (err) {
      // Another admin was first: the request message shows their outcome instead.
      if (!(err instanceof AccessAlreadyDecidedError)) throw err;
      await ctx.editMessageText(t.access.alreadyDecided(escapeHtml(err.user.full_name), t.statuses[err.user.status]), { parse_mode: 'HTML' });
      return;
    }
    const name = escapeHtml(decided.full_name);
    const admin = escapeHtml(ctx.user.full_name);
    await ctx.editMessageText(decided.status === 'active'
      ? t.access.decidedApproved(name, t.roles[decided.role], admin)
      : t.access.decidedRejected(name, admin), { parse_mode: 'HTML' });
    ctx.log.info({ target_user_id: decided.id, status: decided.status, role: decided.role }, 'access_decided');
  });

  return composer;
}
