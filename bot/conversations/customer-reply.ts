import type { Context } from 'grammy';
import type { Core } from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import { replyContent } from '../message-content.js';
import { act, CANCEL, say, type CrmConversation } from './ask-text.js';

export const CUSTOMER_REPLY_CONVERSATION = 'customerReply';

/**
 * 💬 Reply (§12): waits for the reply — text, or a photo, file, voice or
 * video (sent on by its file id) — and hands it to core, which stores it in
 * the conversation and queues it for the customer; /cancel leaves.
 */
export function customerReplyConversation(core: Core) {
  return async function customerReply(conversation: CrmConversation, _ctx: Context, args: { leadId: number; name: string }): Promise<void> {
    await say(conversation, (t) => t.conversations.replyAsk(args.name, args.leadId));
    for (;;) {
      const ctx = await conversation.wait();
      if (ctx.callbackQuery) await conversation.skip({ next: true });
      if (!ctx.message) await conversation.skip({ next: false });
      const text = ctx.message!.text;
      if (text !== undefined && CANCEL.test(text)) return say(conversation, (t) => t.common.cancelled);
      if (text?.startsWith('/')) await conversation.halt({ next: true });
      const content = replyContent(ctx.message!);
      if (!content) {
        await say(conversation, (t) => t.conversations.replyOnly);
        continue;
      }
      await act(conversation, (outside) => sendReply(core, outside, args.leadId, content));
      return;
    }
  };
}

/** Hands a reply to core (rights, storage, the outbox) and confirms it. */
export async function sendReply(core: Core, ctx: ActiveContext, leadId: number, content: NonNullable<ReturnType<typeof replyContent>>): Promise<void> {
  const message = await core.conversations.reply(ctx.user, { leadId, content });
  ctx.log.info({ lead_id: leadId, message_id: message.id, kind: message.kind }, 'customer_reply_queued');
  await ctx.reply(ctx.t.conversations.replyQueued(leadId), { parse_mode: 'HTML' });
}
