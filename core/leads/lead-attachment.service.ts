import { sql, type Selectable } from 'kysely';
import { NotFoundError } from '../errors.js';
import type { Db, LeadAttachmentTable, User } from '../database.js';
import { inTransaction } from '../transaction.js';
import { assertAttachmentAllowed, type AttachmentFile } from './lead-attachment.rules.js';
import { recordHistory } from './lead-history.repository.js';
import { getLeadForUser } from './lead.repository.js';
import { lockLead } from './lead-row.lock.js';
import { sanitizeText } from './lead.sanitize.js';
import { noticeLeadChange } from '../notices/lead-change-notice.service.js';

export type LeadAttachment = Selectable<LeadAttachmentTable>;
export type AttachmentWithUploader = LeadAttachment & { uploader_name: string | null };

/** File names are shown in lists and captions; longer ones are cut. */
const FILE_NAME_LIMIT = 255;

/**
 * Attaches a file Telegram already holds to a lead (§5): only its file id,
 * unique id, name, MIME type and size are stored, never the bytes.
 * Rules: at most 10 MB, MIME type in ATTACHMENT_MIME_TYPES (checked before
 * anything is locked). The lead is locked, the actor's right re-checked,
 * last_activity_at touched, ATTACHMENT_ADDED history written and the
 * assignee told when someone else attached it, all in one transaction. The lead's version is not bumped: like a note, an attachment
 * changes nothing a card's buttons depend on.
 * The per-user upload limit (§16) is the caller's, so it counts accepted files only.
 * Throws ValidationError('file', <rule>), NotFoundError('lead'), ForbiddenError.
 */
export async function addAttachment(
  db: Db, p: { leadId: number; actor: User; file: AttachmentFile; now?: Date },
): Promise<LeadAttachment> {
  const mimeType = assertAttachmentAllowed(p.file);
  return inTransaction(db, async (trx) => {
    await lockLead(trx, p.leadId, { deleted: false, viewer: p.actor });
    const attachment = await trx.insertInto('lead_attachments').values({
      lead_id: p.leadId,
      uploaded_by: p.actor.id,
      telegram_file_id: p.file.fileId,
      telegram_file_unique_id: p.file.fileUniqueId,
      file_name: sanitizeText(p.file.fileName, FILE_NAME_LIMIT),
      mime_type: mimeType,
      size_bytes: p.file.sizeBytes!,
      kind: p.file.kind,
    }).returningAll().executeTakeFirstOrThrow();
    const lead = await trx.updateTable('leads').set({ last_activity_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', p.leadId).returning(['id', 'assigned_to']).executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: p.leadId, action: 'ATTACHMENT_ADDED', actor_user_id: p.actor.id,
      details: {
        attachment_id: attachment.id, kind: attachment.kind, mime_type: attachment.mime_type,
        size_bytes: attachment.size_bytes, file_name: attachment.file_name,
      },
    });
    await noticeLeadChange(trx, { lead, actorId: p.actor.id, change: { action: 'attachment_added' }, now: p.now });
    return attachment;
  });
}

/**
 * A page of a lead's attachments, newest first, paginated in SQL (§5), each
 * with its uploader's name.
 * limit 1–50; offset ≥ 0; total counts all attachments of the lead.
 * Rights are the caller's (getLeadForUser first).
 */
export async function listAttachments(
  db: Db, leadId: number, page: { limit: number; offset: number },
): Promise<{ items: AttachmentWithUploader[]; total: number }> {
  const limit = Math.min(Math.max(page.limit, 1), 50);
  const [items, count] = await Promise.all([
    db.selectFrom('lead_attachments as f').leftJoin('users as u', 'u.id', 'f.uploaded_by')
      .selectAll('f').select('u.full_name as uploader_name').where('f.lead_id', '=', leadId)
      .orderBy('f.created_at', 'desc').orderBy('f.id', 'desc').limit(limit).offset(Math.max(page.offset, 0)).execute(),
    db.selectFrom('lead_attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('lead_id', '=', leadId)
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * One attachment, for re-sending it (§16: the button's id is not trusted):
 * its lead must be live and visible to the actor.
 * Throws NotFoundError('attachment' | 'lead'), ForbiddenError.
 */
export async function getAttachmentForUser(db: Db, attachmentId: number, actor: User): Promise<LeadAttachment> {
  const attachment = await db.selectFrom('lead_attachments').selectAll().where('id', '=', attachmentId).executeTakeFirst();
  if (!attachment) throw new NotFoundError('attachment', attachmentId);
  await getLeadForUser(db, attachment.lead_id, actor);
  return attachment;
}
