import { InlineKeyboard, type Context } from 'grammy';
import type { Config } from '../../config.js';
import { FORM_PROVIDERS, type Db } from '../../core/database.js';
import { ForbiddenError } from '../../core/errors.js';
import { createFormSource, webhookUrlFor } from '../../core/intake/form-source.service.js';
import { sourceProviderData } from '../callback-data/misc.js';
import { escapeHtml } from '../html.js';
import { act, askText, say, type CrmConversation } from './ask-text.js';

export const ADD_SOURCE_CONVERSATION = 'addSource';

/**
 * /sources → ➕ (§11, admins): name → provider buttons → the webhook URL to
 * paste into the form builder and its secret, shown once.
 */
export function addSourceConversation(db: Db, config: Pick<Config, 'PUBLIC_URL'>) {
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
      // Rights are checked when the source is created, not when the conversation began.
      if (ctx.user.role !== 'admin') throw new ForbiddenError('Only admins manage form sources');
      const { source, secret } = await createFormSource(db, { name, provider: chosen, createdBy: ctx.user.id });
      ctx.log.info({ form_source_id: source.id, provider: chosen }, 'form_source_created');
      const url = webhookUrlFor(config.PUBLIC_URL, source);
      await ctx.reply(ctx.t.sources.created(escapeHtml(source.name), escapeHtml(url), escapeHtml(secret)), {
        parse_mode: 'HTML', link_preview_options: { is_disabled: true },
      });
    });
  };
}
