import { Composer, InlineKeyboard, type Api } from 'grammy';
import type { User } from '../../core/database.js';
import { listActiveAdmins, registerTelegramUser } from '../../core/users/user.service.js';
import { accessDecisionData } from '../callback-data/access.js';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { textsFor } from '../texts/index.js';
import type { Logger } from '../../logger.js';
import { errorFields } from '../log-fields.js';

/**
 * /start (§1): registers whoever writes. Configured admin ids become active
 * admins; anyone else waits for approval, and every admin gets the request
 * with decision buttons (features/access.ts handles the taps).
 */
export function startFeature({ db, config }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('start', async (ctx) => {
    const from = ctx.from!;
    const known = ctx.user;
    const user = await registerTelegramUser(db, {
      telegramId: from.id,
      username: from.username ?? null,
      fullName: [from.first_name, from.last_name].filter(Boolean).join(' '),
      language: ctx.lang,
    }, { adminTelegramIds: config.ADMIN_TELEGRAM_IDS, defaultCapacity: config.DEFAULT_CAPACITY });
    ctx.user = user;
    ctx.lang = user.language;
    ctx.t = textsFor(user.language);
    const t = ctx.t;

    if (user.status === 'active') {
      const help = t.access.welcome(escapeHtml(user.full_name), t.roles[user.role]);
      await ctx.reply(user.role === 'admin' ? `${help}\n${t.access.welcomeAdmin}` : help, { parse_mode: 'HTML' });
      return;
    }
    if (user.status === 'pending') {
      await ctx.reply(t.access.pending, { parse_mode: 'HTML' });
      // Only a new request reaches the admins; repeating /start does not spam them.
      if (!known) await requestApproval(ctx.api, db, user, ctx.log);
      return;
    }
    await ctx.reply(user.status === 'rejected' ? t.access.rejected : t.access.noAccess, { parse_mode: 'HTML' });
  });

  return composer;
}

/** Sends the access request to every active admin; one unreachable admin does not stop the others. */
async function requestApproval(api: Api, db: BotDeps['db'], user: User, log: Logger): Promise<void> {
  const admins = await listActiveAdmins(db);
  if (admins.length === 0) log.warn({ pending_user_id: user.id }, 'access_request_without_admins');
  for (const admin of admins) {
    const t = textsFor(admin.language);
    const keyboard = new InlineKeyboard()
      .text(t.access.approveAgent, accessDecisionData.pack({ decision: 'agent', userId: user.id }))
      .text(t.access.approveManager, accessDecisionData.pack({ decision: 'manager', userId: user.id }))
      .row()
      .text(t.access.reject, accessDecisionData.pack({ decision: 'reject', userId: user.id }));
    const text = t.access.request(
      escapeHtml(user.full_name), user.username ? `@${escapeHtml(user.username)}` : '', user.telegram_id);
    try {
      await api.sendMessage(admin.telegram_id, text, { parse_mode: 'HTML', reply_markup: keyboard });
    } catch (err) {
      log.warn({ ...errorFields(err), admin_id: admin.id }, 'access_request_not_delivered');
    }
  }
  log.info({ pending_user_id: user.id, admins: admins.length }, 'access_requested');
}
