import type { Context } from 'grammy';
import type { Message } from 'grammy/types';
import {
  ATTACHMENT_MAX_BYTES, ATTACHMENT_MIME_TYPES, attachmentProblem, RateLimitedError,
  type AttachmentFile, type AttachmentProblem, type Core,
} from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import { escapeHtml } from '../html.js';
import type { Texts } from '../texts/index.js';
import { attachmentLabel } from '../views/lead-attachments.view.js';
import { errorFields } from '../log-fields.js';
import { act, ask, CANCEL, cancelled, isCancelTap, say, type CrmConversation } from './ask-text.js';
import { replaceWithCard, restoreCard, type CardRef } from './card-question.js';

export const ATTACHMENT_CONVERSATION = 'attachment';

const MAX_MB = ATTACHMENT_MAX_BYTES / (1024 * 1024);
const ALLOWED = ATTACHMENT_MIME_TYPES.join(', ');

/** The file in a message: a document as sent, or a photo's largest size (Telegram photos are JPEG). */
export function fileOf(message: Message): AttachmentFile | null {
  const doc = message.document;
  if (doc) {
    return {
      kind: 'document', fileId: doc.file_id, fileUniqueId: doc.file_unique_id,
      fileName: doc.file_name ?? null, mimeType: doc.mime_type ?? null, sizeBytes: doc.file_size ?? null,
    };
  }
  const largest = message.photo?.at(-1);
  if (largest) {
    return {
      kind: 'photo', fileId: largest.file_id, fileUniqueId: largest.file_unique_id,
      fileName: null, mimeType: 'image/jpeg', sizeBytes: largest.file_size ?? null,
    };
  }
  return null;
}

/** Why a file is refused (§5: size, type), in the reader's words. */
export function attachmentRefusal(t: Texts, problem: AttachmentProblem, file: AttachmentFile): string {
  switch (problem) {
    case 'too_large': return t.attachments.tooLarge(MAX_MB);
    case 'no_size': return t.attachments.noSize(MAX_MB);
    case 'no_mime_type': return t.attachments.noMimeType(ALLOWED);
    case 'mime_type': return t.attachments.mimeType(escapeHtml(String(file.mimeType)), ALLOWED);
  }
}

/**
 * 📎 Attach (§5, §16): waits for a document or photo and attaches the first
 * acceptable one. A file over 10 MB or of a type not allowed is refused
 * with the rule, and the question stays open for another file; /cancel
 * leaves. Only an accepted file counts against the 5-per-hour upload
 * limit (core gives back the use of a refused one).
 */
export function attachmentConversation(core: Core) {
  return async function attachment(conversation: CrmConversation, _ctx: Context, ref: CardRef): Promise<void> {
    const on = { core, ref };
    await ask(conversation, (t) => t.attachments.ask(ref.leadId, MAX_MB, ALLOWED), on);
    for (;;) {
      const ctx = await conversation.wait();
      if (ctx.callbackQuery) {
        if (isCancelTap(ctx.callbackQuery.data, ref)) return void await cancelled(conversation, on);
        await conversation.skip({ next: true });
      }
      if (!ctx.message) await conversation.skip({ next: false });
      const message = ctx.message!;
      if (message.text !== undefined) {
        if (CANCEL.test(message.text)) return void await cancelled(conversation, on);
        if (message.text.startsWith('/')) await conversation.halt({ next: true });
      }
      const file = fileOf(message);
      if (!file) {
        await say(conversation, (t) => t.attachments.fileOnly);
        continue;
      }
      const problem = attachmentProblem(file);
      if (problem) {
        await say(conversation, (t) => attachmentRefusal(t, problem, file));
        continue;
      }
      await act(conversation, (outside) => save(core, outside, ref, file), on);
      return;
    }
  };
}

async function save(core: Core, ctx: ActiveContext, ref: CardRef, file: AttachmentFile): Promise<void> {
  const { leadId } = ref;
  let attachment;
  try {
    // Core counts only accepted files against the 5-per-hour limit (§16).
    attachment = await core.attachments.add(ctx.user, { leadId, file });
  } catch (err) {
    if (!(err instanceof RateLimitedError)) throw err;
    ctx.log.info({ lead_id: leadId, action: err.action }, 'bot_rate_limited');
    await restoreCard(core, ctx, ref).catch((e: unknown) => ctx.log.info(errorFields(e), 'bot_card_not_restored'));
    await ctx.reply(ctx.t.attachments.rateLimited(err.limit, Math.max(1, Math.ceil(err.retryAfterMs / 60_000))));
    return;
  }
  ctx.log.info({
    lead_id: leadId, attachment_id: attachment.id, kind: attachment.kind,
    mime_type: attachment.mime_type, size_bytes: attachment.size_bytes,
  }, 'lead_attachment_added');
  await replaceWithCard(core, ctx, ref, ctx.t.attachments.saved(leadId, escapeHtml(attachmentLabel(ctx.t, attachment))));
}
