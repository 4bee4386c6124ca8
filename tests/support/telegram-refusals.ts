import type { FakeFailure } from './fake-telegram.js';
import { parseTelegramHtml, type HtmlEntity } from './telegram-html.js';

/**
 * The 400s the Bot API answers for calls it will not take, with its own
 * descriptions, so a test against the fake fails where production would:
 * text over 4096 characters (captions over 1024) after entity parsing,
 * empty text, HTML that does not parse, callback data over 64 bytes, a
 * callback answer over 200 characters, command menus that break the
 * BotCommand rules (commandsRefusal). Pure: the payload in, the failure
 * (or null) out. The refusals that need the chat's state ("message is not
 * modified", "message to edit not found", a query answered twice) are
 * FakeTelegram's, which applies these too: one set of rules for the
 * in-process fake and the loopback server.
 */

export const TELEGRAM_LIMITS = {
  textLength: 4096, captionLength: 1024, callbackDataBytes: 64, callbackAnswerLength: 200,
  commands: 100, commandDescriptionLength: 256,
} as const;

const TEXT_METHODS = new Set(['sendMessage', 'editMessageText']);
const CAPTION_METHODS = new Set(['sendPhoto', 'sendDocument', 'sendVideo', 'sendAudio', 'sendAnimation', 'sendVoice', 'editMessageCaption']);

/** A failure Telegram answers (as opposed to FakeTelegram's 'network'). */
export type TelegramFailure = Exclude<FakeFailure, 'network'>;

export const badRequest = (description: string): TelegramFailure => ({ error_code: 400, description: `Bad Request: ${description}` });

export interface RefusalOptions {
  /** Let a bare "&" through as Telegram does (see telegram-html.ts); default false. */
  allowBareAmpersand?: boolean;
}

/** Why Telegram would refuse this call, or null when it would take it. */
export function refusalFor(method: string, payload: Record<string, any>, options: RefusalOptions = {}): TelegramFailure | null {
  if (COMMAND_METHODS.has(method)) return commandsRefusal(method, payload);
  if (TEXT_METHODS.has(method)) {
    const parsed = visibleContent(payload.text, payload.parse_mode, options);
    if (!parsed.ok) return badRequest(`can't parse entities: ${parsed.error}`);
    if (parsed.text === '') return badRequest('message text is empty');
    // Telegram counts UTF-16 code units of the text without its tags, as a JS string's length does.
    if (parsed.text.length > TELEGRAM_LIMITS.textLength) return badRequest('message is too long');
  }
  if (CAPTION_METHODS.has(method) && payload.caption !== undefined) {
    const parsed = visibleContent(payload.caption, payload.parse_mode, options);
    if (!parsed.ok) return badRequest(`can't parse entities: ${parsed.error}`);
    if (parsed.text.length > TELEGRAM_LIMITS.captionLength) return badRequest('message caption is too long');
  }
  if (method === 'answerCallbackQuery' && payload.text !== undefined
    && String(payload.text).length > TELEGRAM_LIMITS.callbackAnswerLength) {
    return badRequest('MESSAGE_TOO_LONG');
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

export type VisibleContent = { ok: true; text: string; entities: HtmlEntity[] } | { ok: false; error: string };

/**
 * What the reader sees of a text: Telegram parses the markup, then trims
 * the result (leading and trailing spaces and line breaks do not count
 * towards the limit). Two sends with the same visible content are the same
 * message to Telegram ("message is not modified" compares this, not the markup).
 */
export function visibleContent(value: unknown, parseMode: unknown, options: RefusalOptions = {}): VisibleContent {
  const raw = value === undefined || value === null ? '' : String(value);
  const parsed: VisibleContent = parseMode === 'HTML' ? parseTelegramHtml(raw, options) : { ok: true, text: raw, entities: [] };
  if (!parsed.ok) return parsed;
  const start = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.trim();
  const clamp = (n: number) => Math.min(Math.max(n - start, 0), text.length);
  const entities = parsed.entities
    .map((e) => ({ ...e, offset: clamp(e.offset), length: clamp(e.offset + e.length) - clamp(e.offset) }))
    .filter((e) => e.length > 0);
  return { ok: true, text, entities };
}

const COMMAND_METHODS = new Set(['setMyCommands', 'deleteMyCommands', 'getMyCommands']);
const SCOPE_TYPES = new Set([
  'default', 'all_private_chats', 'all_group_chats', 'all_chat_administrators', 'chat', 'chat_administrators', 'chat_member',
]);

/** A JSON-serialized field as the Bot API reads it: objects as sent in a JSON body, or JSON text in a form. */
export function jsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return Symbol.for('unparsable');
  }
}

/**
 * setMyCommands / deleteMyCommands / getMyCommands as the Bot API checks
 * them: at most 100 commands, each 1–32 characters of a-z, 0-9 and _, with a
 * description of 1–256 characters; a known scope (chat scopes need a
 * chat_id); a two-letter language code or none.
 */
export function commandsRefusal(method: string, payload: Record<string, any>): TelegramFailure | null {
  const scope = jsonField(payload.scope ?? { type: 'default' }) as Record<string, unknown> | symbol;
  if (typeof scope !== 'object' || scope === null || !SCOPE_TYPES.has(String(scope.type))) {
    return badRequest("can't parse BotCommandScope");
  }
  if (String(scope.type).startsWith('chat') && scope.chat_id === undefined) return badRequest('chat_id is empty');
  if (payload.language_code !== undefined && payload.language_code !== '' && !/^[a-z]{2}$/.test(String(payload.language_code))) {
    return badRequest('invalid language code specified');
  }
  if (method !== 'setMyCommands') return null;
  const commands = jsonField(payload.commands);
  if (!Array.isArray(commands)) return badRequest("can't parse commands JSON object");
  if (commands.length > TELEGRAM_LIMITS.commands) return badRequest('BOT_COMMANDS_TOO_MUCH');
  for (const c of commands as { command?: unknown; description?: unknown }[]) {
    if (typeof c?.command !== 'string') return badRequest('can\'t parse BotCommand: Can\'t find field "command"');
    if (typeof c.description !== 'string') return badRequest('can\'t parse BotCommand: Can\'t find field "description"');
    if (!/^[a-z0-9_]{1,32}$/.test(c.command)) return badRequest('BOT_COMMAND_INVALID');
    if (c.description.trim() === '') return badRequest('command description must be non-empty');
    if (c.description.length > TELEGRAM_LIMITS.commandDescriptionLength) return badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  return null;
}
