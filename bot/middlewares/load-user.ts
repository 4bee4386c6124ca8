import type { MiddlewareFn } from 'grammy';
import type { Core, Language } from '../../core/index.js';
import type { BotContext } from '../context.js';
import { languageFromTelegram, textsFor, textsForUser } from '../texts/index.js';

/**
 * Loads the user behind ctx.from for every update, so a role or status
 * change (approval, deactivation) applies to the very next tap, and picks
 * the texts of their language.
 */
export function loadUser(core: Core, defaultLanguage: Language): MiddlewareFn<BotContext> {
  return async function loadUser(ctx, next) {
    if (ctx.from) {
      ctx.user = (await core.users.byTelegramId(ctx.from.id)) ?? null;
      ctx.lang = ctx.user?.language ?? languageFromTelegram(ctx.from.language_code, defaultLanguage);
      ctx.t = ctx.user ? textsForUser(core, ctx.user) : textsFor(ctx.lang, core.users.timeZoneOf({ timezone: null }));
      if (ctx.user) ctx.log = ctx.log.child({ user_id: ctx.user.id });
    }
    await next();
  };
}
