import { InlineKeyboard, type Context } from 'grammy';
import { FORM_PROVIDERS, type Core } from '../../core/index.js';
import { sourceProviderData } from '../callback-data/misc.js';
import { escapeHtml } from '../html.js';
import { act, askText, say, type CrmConversation } from './ask-text.js';

export const ADD_SOURCE_CONVERSATION = 'addSource';

/**
 * /sources → ➕ (§11, admins): name → provider buttons → the webhook URL to
 * paste into the form builder and its secret, shown once.
 */
export function addSourceConversation(core: Core) {
  return async function addSource(conversation: CrmConversation, _ctx: Context): Promise<void> {
    const name = await askText(conversation, (t) => t.sources.askName, { min: 1, max: 100 });
    if (name === null) return;
    await conversation.external(async (ctx) => {
      const keyboard = new InlineKeyboard();
      for (const provider of FORM_PROVIDERS) {
        keyboard.text(ctx.t.providers[provider], sourceProviderData.pack({ provider })).row();
      }
      await ctx.reply(ctx.t.sources.askProvider, { reply_markup: keyboard });
    });

    let provider: (typeof FORM_PROVIDERS)[number] | undefined;
    while (!provider) {
      const ctx = await conversation.wait();
      provider = sourceProviderData.unpack(ctx.callbackQuery?.data)?.provider;
      if (provider) break;
      if (ctx.callbackQuery) await conversation.skip({ next: true });
      const text = ctx.message?.text ?? '';
      if (/^\/cancel(@\w+)?(\s|$)/i.test(text)) return say(conversation, (t) => t.common.cancelled);
      if (text.startsWith('/')) await conversation.halt({ next: true });
      await say(conversation, (t) => t.sources.askProvider);
    }

    const chosen = provider;
    await act(conversation, async (ctx) => {
      await ctx.answerCallbackQuery();
      // Core checks the right when the source is created, not when the conversation began.
      const { source, secret, url } = await core.formSources.create(ctx.user, { name, provider: chosen });
      ctx.log.info({ form_source_id: source.id, provider: chosen }, 'form_source_created');
      await ctx.reply(ctx.t.sources.created(escapeHtml(source.name), escapeHtml(url), escapeHtml(secret)), {
        parse_mode: 'HTML', link_preview_options: { is_disabled: true },
      });
    });
  };
}
