import type { Context } from 'grammy';
import { REPLY_TEXT_LIMIT, type ChannelTextKey, type Core, type Language } from '../../core/index.js';
import { act, askText, type CrmConversation } from './ask-text.js';

export const CHANNEL_TEXT_CONVERSATION = 'channelText';

/** /autoreply → ✏️ (§12, admins): the new text for one key and language; "-" restores the default. */
export function channelTextConversation(core: Core) {
  return async function channelText(
    conversation: CrmConversation, _ctx: Context, args: { key: ChannelTextKey; language: Language },
  ): Promise<void> {
    const body = await askText(conversation, (t) => t.autoReplies.ask(t.autoReplies.keys[args.key], args.language), {
      min: 1, max: REPLY_TEXT_LIMIT,
    });
    if (body === null) return;
    await act(conversation, async (ctx) => {
      await core.channel.setText(ctx.user, { ...args, body: body === '-' ? null : body });
      ctx.log.info({ key: args.key, language: args.language }, 'channel_text_saved');
      await ctx.reply(ctx.t.autoReplies.saved(ctx.t.autoReplies.keys[args.key], args.language), { parse_mode: 'HTML' });
    });
  };
}
