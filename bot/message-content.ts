import type { Message } from 'grammy/types';
import type { MediaRef, MessageContent, ReplyContent } from '../core/index.js';

const media = (f: { file_id: string; file_unique_id: string; file_size?: number; mime_type?: string; file_name?: string }): MediaRef => ({
  fileId: f.file_id, fileUniqueId: f.file_unique_id, fileSize: f.file_size ?? null,
  mimeType: f.mime_type ?? null, fileName: f.file_name ?? null,
});

/**
 * What a customer's Telegram message carries (§12), for core: text, a
 * /start (with its deep-link payload), a file by id (photo: its largest
 * size), a contact, a location, or a short description of anything else.
 */
export function customerContent(message: Message): MessageContent {
  const caption = message.caption ?? null;
  if (message.text !== undefined) {
    const start = /^\/start(?:@\w+)?(?:\s+(\S+))?\s*$/i.exec(message.text);
    if (start) return { kind: 'start', payload: start[1] ?? null };
    return { kind: 'text', text: message.text };
  }
  const photo = message.photo?.at(-1);
  if (photo) return { kind: 'photo', caption, ...media({ ...photo, mime_type: 'image/jpeg' }) };
  if (message.document) return { kind: 'document', caption, ...media(message.document) };
  if (message.voice) return { kind: 'voice', caption, ...media(message.voice) };
  if (message.video) return { kind: 'video', caption, ...media(message.video) };
  if (message.audio) return { kind: 'audio', caption, ...media(message.audio) };
  if (message.video_note) return { kind: 'video_note', caption, ...media(message.video_note) };
  if (message.animation) return { kind: 'animation', caption, ...media(message.animation) };
  if (message.sticker) return { kind: 'sticker', caption: message.sticker.emoji ?? null, ...media(message.sticker) };
  if (message.contact) {
    return {
      kind: 'contact', phone: message.contact.phone_number, firstName: message.contact.first_name,
      lastName: message.contact.last_name ?? null, userId: message.contact.user_id ?? null,
    };
  }
  if (message.location) return { kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  const kind = Object.keys(message).find((k) => ['poll', 'dice', 'venue', 'game', 'story', 'invoice'].includes(k));
  return { kind: 'other', description: kind ?? 'message' };
}

/** A staff member's message as a reply to a customer: text, or a file by id; null for what cannot be sent on. */
export function replyContent(message: Message): ReplyContent | null {
  const caption = message.caption ?? null;
  if (message.text !== undefined) return { kind: 'text', text: message.text };
  const photo = message.photo?.at(-1);
  if (photo) return { kind: 'photo', caption, ...media(photo) };
  if (message.document) return { kind: 'document', caption, ...media(message.document) };
  if (message.voice) return { kind: 'voice', caption, ...media(message.voice) };
  if (message.video) return { kind: 'video', caption, ...media(message.video) };
  if (message.audio) return { kind: 'audio', caption, ...media(message.audio) };
  if (message.animation) return { kind: 'animation', caption, ...media(message.animation) };
  if (message.video_note) return { kind: 'video_note', caption, ...media(message.video_note) };
  return null;
}
