import type { MiddlewareFn } from 'grammy';
import type { Db } from '../../core/database.js';
import type { Language } from '../../core/users/user.constants.js';
import { findUserByTelegramId } from '../../core/users/user.service.js';
import type { BotContext } from '../context.js';
import { languageFromTelegram, textsFor } from '../texts/index.js';

/**
 * Loads the user behind ctx.from for every update, so a role or status
 * change (approval, deactivation) applies to the very next tap, and picks
 * the texts of their language.
 */
export function loadUser(db: Db, defaultLanguage: Language): MiddlewareFn<BotContext> {
  return async function loadUser(ctx, next) {
    if (ctx.from) {
      ctx.user = (await findUserByTelegramId(db, ctx.from.id)) ?? null;
      ctx.lang = ctx.user?.language ?? languageFromTelegram(ctx.from.language_code, defaultLanguage);
      ctx.t = textsFor(ctx.lang);
      if (ctx.user) ctx.log = ctx.log.child({ user_id: ctx.user.id });
    }
    await next();
  };
}
