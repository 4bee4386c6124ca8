import { Composer, GrammyError } from 'grammy';
import { getAttachmentForUser, listAttachments } from '../../core/leads/lead-attachment.service.js';
import { getLeadForUser } from '../../core/leads/lead.repository.js';
import { leadAttachData, leadFileSendData, leadFilesData } from '../callback-data/lead-workflow.js';
import type { ActiveContext } from '../context.js';
import { ATTACH_CONVERSATION } from '../conversations/attach.js';
import type { BotDeps } from '../deps.js';
import { escapeHtml } from '../html.js';
import { editTapped } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import { onCallback } from '../on-callback.js';
import { loadPeople } from '../people.js';
import { FILES_PAGE_SIZE, fileLabel, renderFiles } from '../views/files.view.js';

/**
 * Files on a lead (§5): 📎 Attach starts the attach conversation; 📎 Files
 * lists them a page at a time in place of the card; tapping one has the bot
 * send it again by its Telegram file id (nothing is stored on our disk).
 */
export function leadFilesFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadAttachData, db, async (ctx, data) => {
    await getLeadForUser(db, data.leadId, ctx.user);
    // A new question replaces whatever the user left unfinished.
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(ATTACH_CONVERSATION, data.leadId);
  });

  onCallback(composer, leadFilesData, db, async (ctx, data) => {
    await getLeadForUser(db, data.leadId, ctx.user);
    const page = Math.max(data.page, 1);
    const { items, total } = await listAttachments(db, data.leadId, {
      limit: FILES_PAGE_SIZE, offset: (page - 1) * FILES_PAGE_SIZE,
    });
    const uploaders = await loadPeople(db, items.map((a) => a.uploaded_by));
    await editTapped(ctx, renderFiles(ctx.t, { leadId: data.leadId, page, items, total, uploaders }));
  });

  onCallback(composer, leadFileSendData, db, async (ctx, data) => {
    const attachment = await getAttachmentForUser(db, data.attachmentId, ctx.user);
    const caption = ctx.t.notes.caption(attachment.lead_id, escapeHtml(fileLabel(ctx.t, attachment)));
    const options = { caption, parse_mode: 'HTML' as const };
    try {
      if (attachment.kind === 'photo') await ctx.replyWithPhoto(attachment.telegram_file_id, options);
      else await ctx.replyWithDocument(attachment.telegram_file_id, options);
    } catch (err) {
      // A file id from another bot token, or one Telegram has dropped, is refused with a 400.
      if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
      ctx.log.warn({ ...errorFields(err), attachment_id: attachment.id }, 'bot_attachment_send_failed');
      await ctx.reply(ctx.t.notes.fileGone);
    }
  });

  return composer;
}
