import type { NewConversationMessage } from '../database.js';
import { ValidationError } from '../errors.js';
import { normalizePhone, sanitizeText } from '../leads/lead.sanitize.js';
import {
  CAPTION_LIMIT, REPLY_MEDIA_KINDS, REPLY_TEXT_LIMIT, type CustomerMessageKind, type ReplyMediaKind,
} from './conversation.constants.js';

/** A file Telegram holds, by id (§12: nothing is stored on our disk). */
export interface MediaRef {
  fileId: string;
  fileUniqueId: string;
  mimeType?: string | null;
  fileName?: string | null;
  fileSize?: number | null;
}

/** What one Telegram message carries, as the bot edge reads it. */
export type MessageContent =
  | { kind: 'text'; text: string }
  /** /start, with its deep-link payload (campaign code) if any. */
  | { kind: 'start'; payload: string | null }
  | ({ kind: Exclude<CustomerMessageKind, 'text' | 'start' | 'contact' | 'location' | 'other'>; caption?: string | null } & MediaRef)
  | { kind: 'contact'; phone: string; firstName: string; lastName?: string | null; userId?: number | null }
  | { kind: 'location'; latitude: number; longitude: number }
  /** Anything else (a poll, a dice…): kept as a short description so nothing is silently dropped. */
  | { kind: 'other'; description: string };

/** What staff send a customer: text, or a file by id with an optional caption. */
export type ReplyContent =
  | { kind: 'text'; text: string }
  | ({ kind: ReplyMediaKind; caption?: string | null } & MediaRef);

const fileColumns = (m: MediaRef) => ({
  file_id: m.fileId,
  file_unique_id: m.fileUniqueId,
  mime_type: sanitizeText(m.mimeType, 128),
  file_name: sanitizeText(m.fileName, 255),
  file_size: Number.isSafeInteger(m.fileSize) ? m.fileSize! : null,
});

/** The stored columns of an inbound message's content (text kept as written, NULs dropped). */
export function inboundColumns(content: MessageContent): Omit<NewConversationMessage, 'conversation_id' | 'direction' | 'status'> {
  const plain = (t: string | null | undefined) => (t ? t.replace(/\u0000/g, '').slice(0, REPLY_TEXT_LIMIT) : null);
  switch (content.kind) {
    case 'text': return { kind: 'text', text: plain(content.text) };
    case 'start': return { kind: 'start', text: content.payload ? `/start ${plain(content.payload)}` : '/start' };
    case 'contact':
      return {
        kind: 'contact',
        text: [content.firstName, content.lastName].filter(Boolean).join(' ') || null,
        details: JSON.stringify({ phone: plain(content.phone), user_id: content.userId ?? null }),
      };
    case 'location':
      return { kind: 'location', details: JSON.stringify({ latitude: content.latitude, longitude: content.longitude }) };
    case 'other': return { kind: 'other', text: plain(content.description) };
    default: return { kind: content.kind, text: plain(content.caption), ...fileColumns(content) };
  }
}

/**
 * Checks a reply and returns its stored columns: text 1–4096 characters, a
 * caption at most 1024, media only of REPLY_MEDIA_KINDS by file id.
 * Throws ValidationError('reply').
 */
export function replyColumns(content: ReplyContent): Omit<NewConversationMessage, 'conversation_id' | 'direction' | 'status'> {
  if (content.kind === 'text') {
    const text = content.text.replace(/\u0000/g, '').trim();
    if (!text) throw new ValidationError('reply', 'is empty');
    if (text.length > REPLY_TEXT_LIMIT) throw new ValidationError('reply', `is over ${REPLY_TEXT_LIMIT} characters`);
    return { kind: 'text', text };
  }
  if (!(REPLY_MEDIA_KINDS as readonly string[]).includes(content.kind)) throw new ValidationError('reply', 'cannot be sent');
  if (!content.fileId) throw new ValidationError('reply', 'has no file');
  const caption = content.caption?.replace(/\u0000/g, '').trim() || null;
  if (caption && caption.length > CAPTION_LIMIT) throw new ValidationError('reply', `caption is over ${CAPTION_LIMIT} characters`);
  return { kind: content.kind, text: caption, ...fileColumns(content) };
}

/** A one-line preview of a message for notices and the inbox (no markup; the edge escapes it). */
export function previewOf(m: { kind: string; text: string | null; file_name?: string | null; details?: Record<string, unknown> | null }): string {
  if (m.kind === 'contact') return `${m.text ?? ''} ${String(m.details?.phone ?? '')}`.trim();
  if (m.kind === 'location') return `${String(m.details?.latitude ?? '')}, ${String(m.details?.longitude ?? '')}`;
  if (m.details?.template) return String(m.details.template);
  return m.text ?? m.file_name ?? '';
}

/**
 * A phone as E.164, or null when it cannot be read as one (a shared contact
 * never fails a message). Telegram gives a contact's number without its "+"
 * (380501234567): digits only, it is tried as international too.
 */
export function readablePhone(text: string, defaultCountry?: string): string | null {
  const digits = text.trim();
  for (const candidate of /^\d{10,15}$/.test(digits) ? [digits, `+${digits}`] : [digits]) {
    try {
      const phone = normalizePhone(candidate, defaultCountry);
      if (phone) return phone;
    } catch {
      // the next form, if any
    }
  }
  return null;
}
