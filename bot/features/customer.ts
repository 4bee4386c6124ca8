import { Composer } from 'grammy';
import type { BotContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { customerContent } from '../message-content.js';
import { languageFromTelegram } from '../texts/index.js';

/**
 * Everyone who writes to the bot and is not staff is a customer (§12). Each
 * message — text, photo, document, voice, video, contact, location, or a
 * /start with a campaign code — goes to core, which stores it in the
 * customer's conversation (once per Telegram message id), opens or finds
 * their lead and tells the assignee. The bot answers customers only through
 * the outbox (greeting, off-hours text, staff replies), never here. Never
 * calls next: this is the last branch.
 */
export function customerFeature({ core, config }: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.on('message', async (ctx) => {
    const from = ctx.from;
    const result = await core.conversations.receive({
      telegramUserId: from.id,
      chatId: ctx.chat.id,
      username: from.username ?? null,
      fullName: [from.first_name, from.last_name].filter(Boolean).join(' '),
      language: languageFromTelegram(from.language_code, config.DEFAULT_LANGUAGE),
      messageId: ctx.message.message_id,
      content: customerContent(ctx.message),
    });
    ctx.log.info({
      lead_id: result.leadId, conversation_id: result.conversationId, status: result.status,
      new_lead: result.status === 'stored' && result.newLead,
    }, result.status === 'duplicate' ? 'customer_message_redelivered' : 'customer_message_received');
  });

  // A customer has no buttons of ours to press; an old one just stops spinning.
  composer.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  composer.use(() => undefined);
  return composer;
}
