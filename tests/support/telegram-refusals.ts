import type { FakeFailure } from './fake-telegram.js';
import { parseTelegramHtml } from './telegram-html.js';

/**
 * The 400s the Bot API answers for messages it will not take, with its own
 * descriptions, so a test against the fake fails where production would:
 * text over 4096 characters (captions over 1024) after entity parsing, empty
 * text, HTML that does not parse, callback data over 64 bytes. Pure: the
 * payload in, the failure (or null) out. "Message is not modified" needs the
 * chat's state and stays with FakeTelegram.
 */

export const TELEGRAM_LIMITS = { textLength: 4096, captionLength: 1024, callbackDataBytes: 64 } as const;

const TEXT_METHODS = new Set(['sendMessage', 'editMessageText']);
const CAPTION_METHODS = new Set(['sendPhoto', 'sendDocument', 'sendVideo', 'sendAudio', 'sendAnimation', 'sendVoice', 'editMessageCaption']);

/** A failure Telegram answers (as opposed to FakeTelegram's 'network'). */
export type TelegramFailure = Exclude<FakeFailure, 'network'>;

const badRequest = (description: string): TelegramFailure => ({ error_code: 400, description: `Bad Request: ${description}` });

export interface RefusalOptions {
  /** Let a bare "&" through as Telegram does (see telegram-html.ts); default false. */
  allowBareAmpersand?: boolean;
}

/** Why Telegram would refuse this call, or null when it would take it. */
export function refusalFor(method: string, payload: Record<string, any>, options: RefusalOptions = {}): TelegramFailure | null {
  if (TEXT_METHODS.has(method)) {
    const parsed = visibleText(payload.text, payload.parse_mode, options);
    if (!parsed.ok) return badRequest(`can't parse entities: ${parsed.error}`);
    if (parsed.text.trim() === '') return badRequest('message text is empty');
    if (parsed.text.length > TELEGRAM_LIMITS.textLength) return badRequest('message is too long');
  }
  if (CAPTION_METHODS.has(method) && payload.caption !== undefined) {
    const parsed = visibleText(payload.caption, payload.parse_mode, options);
    if (!parsed.ok) return badRequest(`can't parse entities: ${parsed.error}`);
    if (parsed.text.length > TELEGRAM_LIMITS.captionLength) return badRequest('message caption is too long');
  }
  const rows: unknown = payload.reply_markup?.inline_keyboard;
  if (Array.isArray(rows)) {
    for (const button of rows.flat() as { callback_data?: unknown }[]) {
      if (typeof button?.callback_data !== 'string') continue;
      const bytes = Buffer.byteLength(button.callback_data);
      if (bytes < 1 || bytes > TELEGRAM_LIMITS.callbackDataBytes) return badRequest('BUTTON_DATA_INVALID');
    }
  }
  return null;
}

function visibleText(value: unknown, parseMode: unknown, options: RefusalOptions) {
  const raw = value === undefined || value === null ? '' : String(value);
  if (parseMode !== 'HTML') return { ok: true as const, text: raw };
  return parseTelegramHtml(raw, options);
}
