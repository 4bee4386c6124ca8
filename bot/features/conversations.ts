import { Composer, GrammyError } from 'grammy';
import {
  askPhoneData, conversationData, inboxPageData, messageFileData, replyData,
} from '../callback-data/channels.js';
import type { ActiveContext } from '../context.js';
import { CUSTOMER_REPLY_CONVERSATION, sendReply } from '../conversations/customer-reply.js';
import type { BotDeps } from '../deps.js';
import { editTapped, sendView } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import { replyContent } from '../message-content.js';
import { onCallback } from '../on-callback.js';
import { sendMedia } from '../outbox/send-media.js';
import {
  CONVERSATION_PAGE_SIZE, customerLabel, renderConversationPage, renderInbox,
} from '../views/conversation.view.js';

const INBOX_PAGE_SIZE = 8;

/**
 * Conversations with customers (§12): /inbox (each conversation with its
 * last message and unread count, newest first), a conversation a page at a
 * time, 💬 Reply (a question waiting for the reply) or Telegram's own
 * "reply" on a notice or card, 📱 asking the customer for their phone, and
 * a file of the conversation sent again by its id. Core checks the right to
 * the lead on every tap.
 */
export function conversationsFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('inbox', async (ctx) => {
    const page = await core.conversations.inbox(ctx.user, { limit: INBOX_PAGE_SIZE });
    await sendView(ctx.api, ctx.chat.id, renderInbox(ctx.t, page, { page: 1 }));
  });

  onCallback(composer, inboxPageData, core, async (ctx, data) => {
    const page = await core.conversations.inbox(ctx.user, { cursor: data.cursor === '-' ? null : data.cursor, limit: INBOX_PAGE_SIZE });
    await editTapped(ctx, renderInbox(ctx.t, page, { page: data.page }));
  });

  onCallback(composer, conversationData, core, async (ctx, data) => {
    const cursor = data.before > 0 ? Buffer.from(String(data.before)).toString('base64url') : null;
    const page = await core.conversations.page(ctx.user, data.leadId, { cursor, limit: CONVERSATION_PAGE_SIZE });
    const view = renderConversationPage(ctx.t, page, data.before);
    // From a card, a notice or the inbox the conversation opens as a message of its own; paging edits it.
    if (data.edit) await editTapped(ctx, view);
    else await sendView(ctx.api, ctx.chat!.id, view);
  });

  onCallback(composer, replyData, core, async (ctx, data) => {
    const first = await core.conversations.firstMessage(ctx.user, data.leadId);
    if (!first) return void await ctx.reply(ctx.t.conversations.noConversation(data.leadId));
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(CUSTOMER_REPLY_CONVERSATION, { leadId: data.leadId, name: customerLabel(first.customerName, first.username) });
  });

  onCallback(composer, askPhoneData, core, async (ctx, data) => {
    await core.conversations.askPhone(ctx.user, data.leadId);
    ctx.log.info({ lead_id: data.leadId }, 'customer_phone_asked');
    await ctx.reply(ctx.t.conversations.phoneAsked(data.leadId));
  });

  onCallback(composer, messageFileData, core, async (ctx, data) => {
    const message = await core.conversations.message(ctx.user, data.messageId);
    if (!message.file_id) return;
    try {
      await sendMedia(ctx.api, ctx.chat!.id, { kind: message.kind as never, fileId: message.file_id }, '', {});
    } catch (err) {
      if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
      ctx.log.warn({ ...errorFields(err), message_id: message.id }, 'bot_conversation_file_gone');
      await ctx.reply(ctx.t.conversations.fileGone);
    }
  });

  // Telegram's "reply" on a notice or card the outbox delivered: the answer goes to that lead's customer.
  composer.on('message', async (ctx, next) => {
    const replied = ctx.message.reply_to_message;
    if (!replied || replied.from?.id !== ctx.me.id) return next();
    const leadId = await core.conversations.leadOfReply(ctx.user, replied.message_id);
    const content = replyContent(ctx.message);
    if (leadId === null || !content || (content.kind === 'text' && content.text.startsWith('/'))) return next();
    const first = await core.conversations.firstMessage(ctx.user, leadId);
    if (!first) return next();
    await sendReply(core, ctx, leadId, content);
  });

  return composer;
}
