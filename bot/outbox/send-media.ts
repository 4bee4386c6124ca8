import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { ReplyMediaKind } from '../../core/index.js';

type MediaOptions = {
  parse_mode?: 'HTML';
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | { inline_keyboard: unknown[] };
};

/**
 * Sends a file Telegram already holds, by its file id (§12: a manager's
 * photo, document, voice or video reply goes to the customer without ever
 * touching our disk), `caption` under it. Returns the message id.
 */
export async function sendMedia(
  api: Api, chatId: number, media: { kind: ReplyMediaKind; fileId: string }, caption: string, options: MediaOptions,
): Promise<number> {
  const withCaption = { ...options, ...(caption ? { caption } : {}) } as never;
  switch (media.kind) {
    case 'photo': return (await api.sendPhoto(chatId, media.fileId, withCaption)).message_id;
    case 'document': return (await api.sendDocument(chatId, media.fileId, withCaption)).message_id;
    case 'voice': return (await api.sendVoice(chatId, media.fileId, withCaption)).message_id;
    case 'video': return (await api.sendVideo(chatId, media.fileId, withCaption)).message_id;
    case 'audio': return (await api.sendAudio(chatId, media.fileId, withCaption)).message_id;
    case 'animation': return (await api.sendAnimation(chatId, media.fileId, withCaption)).message_id;
    // A round video has no caption in Telegram.
    case 'video_note': return (await api.sendVideoNote(chatId, media.fileId, { reply_markup: options.reply_markup } as never)).message_id;
  }
}
