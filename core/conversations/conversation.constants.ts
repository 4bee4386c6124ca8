/**
 * The one definition of the values a conversation (§12) uses. Inbound
 * messages may be any of CUSTOMER_MESSAGE_KINDS; what staff send back is
 * text or one of REPLY_MEDIA_KINDS, by Telegram file id.
 */
export const CUSTOMER_MESSAGE_KINDS = [
  'text', 'photo', 'document', 'voice', 'video', 'audio', 'video_note', 'animation', 'sticker',
  'contact', 'location', 'start', 'other',
] as const;
export type CustomerMessageKind = (typeof CUSTOMER_MESSAGE_KINDS)[number];

/** What a manager's reply can carry besides text, each sent by its Telegram file id. */
export const REPLY_MEDIA_KINDS = ['photo', 'document', 'voice', 'video', 'audio', 'animation', 'video_note'] as const;
export type ReplyMediaKind = (typeof REPLY_MEDIA_KINDS)[number];

/** Kinds that do not count in message_count: a /start is not something the customer wrote. */
export const UNCOUNTED_KINDS: readonly CustomerMessageKind[] = ['start'];

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** in: received; out: queued → sent | failed. */
export const MESSAGE_STATUSES = ['received', 'queued', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * Texts the bot sends customers by itself (§12), editable by admins per
 * language; ask_phone goes out with a "share my phone" button.
 */
export const CHANNEL_TEXT_KEYS = ['greeting', 'off_hours', 'ask_phone', 'phone_saved'] as const;
export type ChannelTextKey = (typeof CHANNEL_TEXT_KEYS)[number];

/** Longest text a reply or a channel text may have (Telegram's message limit). */
export const REPLY_TEXT_LIMIT = 4096;
/** A caption (media) is shorter in Telegram. */
export const CAPTION_LIMIT = 1024;

/** Messages of one customer arriving within this window become one notice (§12). */
export const NOTICE_MERGE_MS = 5_000;
/** Past FLOOD_MESSAGES within FLOOD_WINDOW_MS a customer is flooding: notices wait FLOOD_NOTICE_MS. */
export const FLOOD_MESSAGES = 20;
export const FLOOD_WINDOW_MS = 60_000;
export const FLOOD_NOTICE_MS = 60_000;

/** The /inbox page size and message page limits (§12: API limit 100 by default, 500 at most). */
export const MESSAGES_DEFAULT_LIMIT = 100;
export const MESSAGES_MAX_LIMIT = 500;

/** An invite token is carried in /start as `inv_<token>`; campaign codes may not start with it. */
export const INVITE_PREFIX = 'inv_';
