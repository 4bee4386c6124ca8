import { InlineKeyboard, type Context } from 'grammy';
import type { Message } from 'grammy/types';
import type { Db } from '../../core/database.js';
import { RateLimitedError } from '../../core/errors.js';
import {
  ATTACHMENT_MAX_BYTES, ATTACHMENT_MIME_TYPES, attachmentProblem, type AttachmentFile, type AttachmentProblem,
} from '../../core/leads/lead-attachment.rules.js';
import { addAttachment } from '../../core/leads/lead-attachment.service.js';
import type { RateLimiter } from '../../core/security/rate-limit.js';
import { leadOpenData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import { escapeHtml } from '../html.js';
import type { Texts } from '../texts/index.js';
import { fileLabel } from '../views/files.view.js';
import { act, CANCEL, say, type CrmConversation } from './ask-text.js';

export const ATTACH_CONVERSATION = 'attach';

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

function refusal(t: Texts, problem: AttachmentProblem, file: AttachmentFile): string {
  switch (problem) {
    case 'too_large': return t.attach.tooLarge(MAX_MB);
    case 'no_size': return t.attach.noSize(MAX_MB);
    case 'no_mime_type': return t.attach.noMimeType(ALLOWED);
    case 'mime_type': return t.attach.mimeType(escapeHtml(String(file.mimeType)), ALLOWED);
  }
}

/**
 * 📎 Attach (§5, §16): waits for a document or photo and attaches the first
 * acceptable one. A file over 10 MB or of a type not allowed is refused
 * with the rule, and the question stays open for another file; /cancel
 * leaves. Only an acceptable file counts against the 5-per-hour upload
 * limit, which is consumed right before saving.
 */
export function attachConversation(db: Db, limiter: RateLimiter) {
  return async function attach(conversation: CrmConversation, _ctx: Context, leadId: number): Promise<void> {
    await say(conversation, (t) => t.attach.ask(leadId, MAX_MB, ALLOWED));
    for (;;) {
      const ctx = await conversation.wait();
      if (ctx.callbackQuery) await conversation.skip({ next: true });
      if (!ctx.message) await conversation.skip({ next: false });
      const message = ctx.message!;
      if (message.text !== undefined) {
        if (CANCEL.test(message.text)) {
          await say(conversation, (t) => t.common.cancelled);
          return;
        }
        if (message.text.startsWith('/')) await conversation.halt({ next: true });
      }
      const file = fileOf(message);
      if (!file) {
        await say(conversation, (t) => t.attach.fileOnly);
        continue;
      }
      const problem = attachmentProblem(file);
      if (problem) {
        await say(conversation, (t) => refusal(t, problem, file));
        continue;
      }
      await act(conversation, (outside) => save(db, limiter, outside, leadId, file));
      return;
    }
  };
}

async function save(
  db: Db, limiter: RateLimiter, ctx: ActiveContext, leadId: number, file: AttachmentFile,
): Promise<void> {
  try {
    await limiter.consume(ctx.user.id, 'file_upload');
  } catch (err) {
    if (!(err instanceof RateLimitedError)) throw err;
    ctx.log.info({ lead_id: leadId, action: err.action }, 'bot_rate_limited');
    await ctx.reply(ctx.t.attach.rateLimited(err.limit, Math.max(1, Math.ceil(err.retryAfterMs / 60_000))));
    return;
  }
  const attachment = await addAttachment(db, { leadId, actor: ctx.user, file });
  ctx.log.info({
    lead_id: leadId, attachment_id: attachment.id, kind: attachment.kind,
    mime_type: attachment.mime_type, size_bytes: attachment.size_bytes,
  }, 'lead_attachment_added');
  await ctx.reply(ctx.t.attach.saved(leadId, escapeHtml(fileLabel(ctx.t, attachment))), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard().text(ctx.t.card.open, leadOpenData.pack({ leadId })),
  });
}
