import type { Context } from 'grammy';
import type { Document, PhotoSize, Update, User as TgUser } from 'grammy/types';
import type { TelegramHarness } from './fake-telegram.js';

/**
 * Incoming documents and photos for bot tests, shaped like the Bot API's
 * (file_id, file_unique_id, file_size, mime_type), fed through the same
 * harness as text messages.
 */

let seq = 0;

/** A PDF document; override any field, or pass undefined to leave one out (e.g. mime_type). */
export function document(p: Partial<Document> = {}): Document {
  seq += 1;
  const doc: Document = {
    file_id: `BQACAgIAAxkBAAI${seq}`, file_unique_id: `AgADdoc${seq}`,
    file_name: `offer-${seq}.pdf`, mime_type: 'application/pdf', file_size: 120_000, ...p,
  };
  for (const key of Object.keys(doc) as (keyof Document)[]) if (doc[key] === undefined) delete doc[key];
  return doc;
}

/** The sizes Telegram sends for one photo, smallest first; the last is the full size. */
export function photo(fullSizeBytes = 90_000): PhotoSize[] {
  seq += 1;
  return [
    { file_id: `AgACthumb${seq}`, file_unique_id: `AQADthumb${seq}`, width: 90, height: 67, file_size: 1_200 },
    { file_id: `AgACfull${seq}`, file_unique_id: `AQADfull${seq}`, width: 1280, height: 960, file_size: fullSizeBytes },
  ];
}

export function fileUpdate<C extends Context>(
  tg: TelegramHarness<C>, from: TgUser, media: { document: Document } | { photo: PhotoSize[] }, caption?: string,
): Update {
  const update = tg.messageUpdate(from, '');
  const { text: _text, entities: _entities, ...message } = update.message!;
  return { ...update, message: { ...message, ...media, ...(caption ? { caption } : {}) } as Update['message'] };
}

/** The user sends a document or photo to the bot. */
export async function sendFile<C extends Context>(
  tg: TelegramHarness<C>, from: TgUser, media: { document: Document } | { photo: PhotoSize[] },
): Promise<void> {
  await tg.bot.handleUpdate(fileUpdate(tg, from, media));
}
