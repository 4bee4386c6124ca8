import { Composer, InlineKeyboard } from 'grammy';
import { languageData } from '../callback-data/misc.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { LANGUAGE_NAMES, switchLanguage } from '../own-settings.js';

/** /lang: switch the interface language (stored on the user); /settings offers the same. */
export function langFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('lang', async (ctx) => {
    const keyboard = new InlineKeyboard()
      .text(LANGUAGE_NAMES.en, languageData.pack({ language: 'en' }))
      .text(LANGUAGE_NAMES.uk, languageData.pack({ language: 'uk' }));
    await ctx.reply(ctx.t.lang.choose, { reply_markup: keyboard });
  });

  composer.callbackQuery(languageData.filter, async (ctx) => {
    const data = languageData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    await switchLanguage(ctx, core, data.language);
    await ctx.editMessageText(ctx.t.lang.set, { parse_mode: 'HTML' });
  });

  return composer;
}
