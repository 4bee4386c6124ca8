import { ValidationError } from '../errors.js';

/** §5: the largest attachment, in bytes (10 MB). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** §5: the only MIME types an attachment may have. Photos Telegram sends are always image/jpeg. */
export const ATTACHMENT_MIME_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'application/pdf', 'text/plain'] as const;
export type AttachmentMimeType = (typeof ATTACHMENT_MIME_TYPES)[number];

export const ATTACHMENT_KINDS = ['document', 'photo'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** A file as Telegram describes it (Document, or the largest PhotoSize of a photo). */
export interface AttachmentFile {
  kind: AttachmentKind;
  /** Telegram's file_id: what re-sending the file needs. */
  fileId: string;
  /** Telegram's file_unique_id: the same file across bots and time. */
  fileUniqueId: string;
  fileName?: string | null | undefined;
  /** Documents carry one; photos are image/jpeg. Absent: refused. */
  mimeType?: string | null | undefined;
  /** file_size in bytes; absent: refused (the 10 MB rule cannot be checked). */
  sizeBytes?: number | null | undefined;
}

/**
 * Why a file cannot be attached, or null when it can (§5):
 * - 'no_size': Telegram did not say how big it is;
 * - 'too_large': over ATTACHMENT_MAX_BYTES;
 * - 'no_mime_type': a document without a MIME type;
 * - 'mime_type': a MIME type outside ATTACHMENT_MIME_TYPES.
 * Pure, so the bot can tell the user exactly which rule refused the file.
 */
export type AttachmentProblem = 'no_size' | 'too_large' | 'no_mime_type' | 'mime_type';

export function attachmentProblem(file: Pick<AttachmentFile, 'mimeType' | 'sizeBytes'>): AttachmentProblem | null {
  if (file.sizeBytes === null || file.sizeBytes === undefined || !Number.isSafeInteger(file.sizeBytes) || file.sizeBytes < 0) {
    return 'no_size';
  }
  if (file.sizeBytes > ATTACHMENT_MAX_BYTES) return 'too_large';
  const mime = normalizeMimeType(file.mimeType);
  if (!mime) return 'no_mime_type';
  if (!isAllowedMimeType(mime)) return 'mime_type';
  return null;
}

/** "Text/Plain; charset=utf-8" → "text/plain"; empty → null. */
export function normalizeMimeType(raw: string | null | undefined): string | null {
  const mime = raw?.split(';')[0]?.trim().toLowerCase();
  return mime || null;
}

const isAllowedMimeType = (mime: string): mime is AttachmentMimeType =>
  (ATTACHMENT_MIME_TYPES as readonly string[]).includes(mime);

const PROBLEM_TEXT: Record<AttachmentProblem, string> = {
  no_size: 'the file size is unknown, so the 10 MB limit cannot be checked',
  too_large: `at most ${ATTACHMENT_MAX_BYTES} bytes (10 MB)`,
  no_mime_type: `the file has no MIME type; allowed: ${ATTACHMENT_MIME_TYPES.join(', ')}`,
  mime_type: `MIME type not allowed; allowed: ${ATTACHMENT_MIME_TYPES.join(', ')}`,
};

/**
 * Checks a file against §5 and returns its MIME type normalised.
 * Throws ValidationError('file', <the rule>) otherwise.
 */
export function assertAttachmentAllowed(file: AttachmentFile): AttachmentMimeType {
  if (!ATTACHMENT_KINDS.includes(file.kind)) throw new ValidationError('file', `kind must be one of ${ATTACHMENT_KINDS.join(', ')}`);
  if (!file.fileId || !file.fileUniqueId) throw new ValidationError('file', 'a Telegram file id is required');
  const problem = attachmentProblem(file);
  if (problem) throw new ValidationError('file', PROBLEM_TEXT[problem]);
  return normalizeMimeType(file.mimeType) as AttachmentMimeType;
}
