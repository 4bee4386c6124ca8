import { Composer, GrammyError } from 'grammy';
import { attachmentAddData, attachmentSendData, attachmentsPageData } from '../callback-data/lead-attachment.js';
import type { ActiveContext } from '../context.js';
import { ATTACHMENT_CONVERSATION } from '../conversations/lead-attachment.js';
import { cardRefOf } from '../conversations/card-question.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import { onCallback } from '../on-callback.js';
import { ATTACHMENTS_PAGE_SIZE, attachmentLabel, renderAttachments } from '../views/lead-attachments.view.js';

/**
 * Attachments of a lead (§5): 📎 Attach starts the attachment conversation;
 * 📎 Files lists them a page at a time in place of the card; tapping one has
 * the bot send it again by its Telegram file id (nothing is stored on our disk).
 */
export function leadAttachmentsFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, attachmentAddData, core, async (ctx, data) => {
    await cardFor(ctx, core, data.leadId);
    // A new question replaces whatever the user left unfinished.
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(ATTACHMENT_CONVERSATION, cardRefOf(ctx, data.leadId));
  });

  onCallback(composer, attachmentsPageData, core, async (ctx, data) => {
    const page = Math.max(data.page, 1);
    const { items, total } = await core.attachments.list(ctx.user, data.leadId, {
      limit: ATTACHMENTS_PAGE_SIZE, offset: (page - 1) * ATTACHMENTS_PAGE_SIZE,
    });
    await editTapped(ctx, renderAttachments(ctx.t, { leadId: data.leadId, page, items, total }));
  });

  onCallback(composer, attachmentSendData, core, async (ctx, data) => {
    const attachment = await core.attachments.get(ctx.user, data.attachmentId);
    const caption = ctx.t.attachments.caption(attachment.lead_id, escapeHtml(attachmentLabel(ctx.t, attachment)));
    const options = { caption, parse_mode: 'HTML' as const };
    try {
      if (attachment.kind === 'photo') await ctx.replyWithPhoto(attachment.telegram_file_id, options);
      else await ctx.replyWithDocument(attachment.telegram_file_id, options);
    } catch (err) {
      // A file id from another bot token, or one Telegram has dropped, is refused with a 400.
      if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
      ctx.log.warn({ ...errorFields(err), attachment_id: attachment.id }, 'bot_attachment_send_failed');
      await ctx.reply(ctx.t.attachments.gone);
    }
  });

  return composer;
}
