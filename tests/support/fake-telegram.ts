import { HttpError, type Bot, type Context, type Transformer } from 'grammy';
import type {
  BotCommand, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User as TgUser, UserFromGetMe,
} from 'grammy/types';
import {
  badRequest, jsonField, refusalFor, visibleContent, type RefusalOptions,
} from './telegram-refusals.js';

/**
 * Telegram at the process edge (house style rule 14): an API transformer that
 * records every outgoing call and answers like the Bot API, plus builders for
 * incoming updates. Install it closest to the network (createBot's
 * `apiTransformers`) so auto-retry sees its 429s like real ones.
 *
 * Strict like Telegram: it refuses what the Bot API refuses, with its words
 * (telegram-refusals.ts: HTML that does not parse, text over 4096
 * characters, callback data over 64 bytes, a callback answer over 200
 * characters; here: an edit that changes nothing, a message to edit that is
 * not there, a callback query answered twice), and keeps every refusal in
 * `refusals` so a test can assert that none happened. Failures planned with
 * failNext are the test's, not Telegram's refusals, and are not kept there.
 */

export const TEST_BOT_INFO: UserFromGetMe = {
  id: 7_000_000_001, is_bot: true, first_name: 'AEL CRM', username: 'ael_crm_test_bot',
  can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false,
  can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false,
  allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false,
};

export interface RecordedCall { method: string; payload: Record<string, any> }
export type FakeFailure =
  | { error_code: number; description: string; parameters?: { retry_after?: number } }
  | 'network';

/** A bot message as the chat currently shows it (after edits); a file sent by id carries its kind and id. */
export interface ChatMessage {
  chatId: number; messageId: number; text: string; markup?: InlineKeyboardMarkup | undefined;
  media?: { method: string; fileId: string } | undefined;
  /** A reply keyboard (or its removal) the message carried, as sent. */
  replyKeyboard?: Record<string, unknown> | undefined;
}

// The Bot API methods that send a file by id: their second parameter's name.
const MEDIA_SENDS: Record<string, string> = {
  sendPhoto: 'photo', sendDocument: 'document', sendVoice: 'voice', sendVideo: 'video', sendAudio: 'audio',
  sendAnimation: 'animation', sendVideoNote: 'video_note',
};

export const failures = {
  tooManyRequests: (retryAfter: number): FakeFailure =>
    ({ error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } }),
  blocked: (): FakeFailure => ({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }),
  badRequest: (what = 'chat not found'): FakeFailure => ({ error_code: 400, description: `Bad Request: ${what}` }),
  serverError: (): FakeFailure => ({ error_code: 502, description: 'Bad Gateway' }),
};

const NOT_MODIFIED = 'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const QUERY_INVALID = 'query is too old and response timeout expired or query ID is invalid';

/** A call Telegram refused by its own rules (not a failure the test planned). */
export interface Refusal { method: string; payload: Record<string, any>; error_code: number; description: string }

export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  /** Every call refused by Telegram's rules, in order. */
  readonly refusals: Refusal[] = [];
  private readonly planned: { method: string | null; failure: FakeFailure }[] = [];
  private readonly messages = new Map<string, ChatMessage>();
  /** Command menus by scope and language, as setMyCommands left them (see commandMenu). */
  private readonly commandMenus = new Map<string, BotCommand[]>();
  /** What each message shows as Telegram compares it: its visible text and entities (not the HTML source). */
  private readonly shown = new Map<string, string>();
  private readonly answeredQueries = new Set<string>();
  private readonly files = new Map<string, Uint8Array>();
  private lastId = 1000;
  private lastQueryId = 0;

  constructor(private readonly options: RefusalOptions = {}) {}

  /** A file Telegram holds under fileId: getFile answers for it, and fetchFile serves its bytes. */
  addFile(fileId: string, bytes: Uint8Array | string): void {
    this.files.set(fileId, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  }

  /** The download side of files (BotDeps.fetchFile): `<root>/file/bot<token>/files/<fileId>`. */
  readonly fetchFile = async (url: string): Promise<Response> => {
    const fileId = decodeURIComponent(url.split('/files/').at(-1) ?? '');
    const bytes = this.files.get(fileId);
    return bytes ? new Response(bytes) : new Response('Not Found', { status: 404 });
  };

  /** Files the bot uploaded (an InputFile rather than a file id), by the file id Telegram gave them. */
  readonly uploads = new Map<string, { data: unknown; filename: string | undefined }>();

  /** The file id a send names, or gives an upload: `uploaded-<n>`. */
  private fileIdOf(file: unknown): string {
    if (typeof file === 'string') return file;
    const fileId = `uploaded-${this.uploads.size + 1}`;
    const upload = file as { fileData?: unknown; filename?: string };
    this.uploads.set(fileId, { data: upload.fileData ?? file, filename: upload.filename });
    return fileId;
  }

  /** Message ids are shared by bot and user messages, like in a real chat. */
  nextMessageId(): number {
    return ++this.lastId;
  }

  /** Callback query ids are unique across every harness (replica) on this fake, as Telegram's are. */
  nextQueryId(): string {
    return String(++this.lastQueryId);
  }

  private readonly blockedChats = new Set<number>();

  /** The person in this chat blocks the bot: every send to it fails with 403 from now on (unblock: false). */
  blockedBy(chatId: number, blocked = true): void {
    if (blocked) this.blockedChats.add(chatId);
    else this.blockedChats.delete(chatId);
  }

  /** The next `times` calls of `method` (any method when null) fail with `failure`. */
  failNext(method: string | null, failure: FakeFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.planned.push({ method, failure });
  }

  callsTo(method: string): Record<string, any>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.payload);
  }

  /** Texts sent (sendMessage) to a chat, oldest first. */
  sentTexts(chatId: number): string[] {
    return this.callsTo('sendMessage').filter((p) => Number(p.chat_id) === chatId).map((p) => String(p.text));
  }

  /** The chat's bot messages in their current state, oldest first. */
  chat(chatId: number): ChatMessage[] {
    return [...this.messages.values()].filter((m) => m.chatId === chatId);
  }

  lastMessage(chatId: number): ChatMessage {
    const all = this.chat(chatId);
    const last = all[all.length - 1];
    if (!last) throw new Error(`no bot message in chat ${chatId}`);
    return last;
  }

  /** Whether the chat still shows this bot message (not deleted). */
  has(chatId: number, messageId: number): boolean {
    return this.messages.has(`${chatId}:${messageId}`);
  }

  message(chatId: number, messageId: number): ChatMessage {
    const m = this.messages.get(`${chatId}:${messageId}`);
    if (!m) throw new Error(`no message ${messageId} in chat ${chatId}`);
    return m;
  }

  /**
   * The command menu a person sees in their private chat with the bot, as
   * Telegram picks it: the first list set of chat scope + their app's
   * language, chat scope, all private chats (+ language), default (+ language).
   */
  commandMenu(chatId: number, languageCode?: string): BotCommand[] {
    const scopes = [{ type: 'chat', chat_id: chatId }, { type: 'all_private_chats' }, { type: 'default' }];
    for (const scope of scopes) {
      for (const language of languageCode ? [languageCode, ''] : ['']) {
        const commands = this.commandMenus.get(menuKey(scope, language));
        if (commands) return commands;
      }
    }
    return [];
  }

  /** The command names of commandMenu, in order. */
  commandNames(chatId: number, languageCode?: string): string[] {
    return this.commandMenu(chatId, languageCode).map((c) => c.command);
  }

  /** The transformer to install with bot.api.config.use (or createBot's apiTransformers). */
  readonly transformer: Transformer = async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, any>;
    this.calls.push({ method, payload: p });
    if (method.startsWith('send') && this.blockedChats.has(Number(p.chat_id))) {
      return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } as any;
    }
    const i = this.planned.findIndex((f) => f.method === null || f.method === method);
    if (i >= 0) {
      const failure = this.planned.splice(i, 1)[0]!.failure;
      if (failure === 'network') throw new HttpError(`Network request for '${method}' failed!`, new Error('ECONNRESET'));
      return { ok: false, ...failure } as any;
    }
    return this.answer(method, p) as any;
  };

  /** The refusals of calls to `method` (any method when omitted). */
  refusalsOf(method?: string): Refusal[] {
    return this.refusals.filter((r) => method === undefined || r.method === method);
  }

  private answer(method: string, p: Record<string, any>): { ok: true; result: unknown } | FakeFailure & { ok: false } {
    const ok = (result: unknown) => ({ ok: true as const, result });
    const refuse = (failure: Exclude<FakeFailure, 'network'>) => {
      this.refusals.push({ method, payload: p, ...failure });
      return { ok: false as const, ...failure };
    };
    const refused = refusalFor(method, p, this.options);
    if (refused) return refuse(refused);
    const keyboards = (markup: any) => (markup && 'inline_keyboard' in markup
      ? { markup } : markup ? { replyKeyboard: markup as Record<string, unknown> } : {});
    if (method in MEDIA_SENDS) {
      const messageId = this.nextMessageId();
      const m: ChatMessage = {
        chatId: Number(p.chat_id), messageId, text: String(p.caption ?? ''),
        media: { method, fileId: this.fileIdOf(p[MEDIA_SENDS[method]!]) }, ...keyboards(p.reply_markup),
      };
      this.messages.set(`${m.chatId}:${m.messageId}`, m);
      return ok(toTelegramMessage(m));
    }
    switch (method) {
      case 'editMessageMedia': {
        const key = `${Number(p.chat_id)}:${Number(p.message_id)}`;
        const m = this.messages.get(key);
        if (!m?.media) return refuse(badRequest('message to edit not found'));
        const media = jsonField(p.media) as Record<string, any>;
        const next: ChatMessage = {
          ...m, text: String(media.caption ?? ''), markup: p.reply_markup,
          media: { method: m.media.method, fileId: this.fileIdOf(media.media) },
        };
        this.messages.set(key, next);
        return ok(toTelegramMessage(next));
      }
      case 'sendMessage': {
        const m: ChatMessage = { chatId: Number(p.chat_id), messageId: this.nextMessageId(), text: String(p.text), ...keyboards(p.reply_markup) };
        this.messages.set(`${m.chatId}:${m.messageId}`, m);
        this.shown.set(`${m.chatId}:${m.messageId}`, this.shownText(p));
        return ok(toTelegramMessage(m));
      }
      case 'getFile': {
        const bytes = this.files.get(String(p.file_id));
        if (!bytes) return { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' };
        return ok({ file_id: p.file_id, file_unique_id: `u${String(p.file_id)}`, file_size: bytes.byteLength, file_path: `files/${String(p.file_id)}` });
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup': {
        const key = `${Number(p.chat_id)}:${Number(p.message_id)}`;
        const m = this.messages.get(key);
        if (!m) return refuse(badRequest('message to edit not found'));
        const next: ChatMessage = {
          ...m,
          text: method === 'editMessageText' ? String(p.text) : m.text,
          markup: p.reply_markup,
        };
        // Telegram compares what the reader would see: <b>x</b> and <strong>x</strong> are the same text.
        const shown = method === 'editMessageText' ? this.shownText(p) : this.shown.get(key)!;
        if (shown === this.shown.get(key) && markupKey(next.markup) === markupKey(m.markup)) {
          return refuse(badRequest(NOT_MODIFIED));
        }
        this.messages.set(key, next);
        this.shown.set(key, shown);
        return ok(toTelegramMessage(next));
      }
      case 'deleteMessage':
        this.messages.delete(`${Number(p.chat_id)}:${Number(p.message_id)}`);
        this.shown.delete(`${Number(p.chat_id)}:${Number(p.message_id)}`);
        return ok(true);
      case 'setMyCommands':
      case 'deleteMyCommands':
      case 'getMyCommands': {
        // refusalFor has checked the commands already.
        const key = menuKey(jsonField(p.scope ?? { type: 'default' }) as Record<string, unknown>, p.language_code ?? '');
        if (method === 'getMyCommands') return ok(this.commandMenus.get(key) ?? []);
        const commands = method === 'setMyCommands' ? jsonField(p.commands) as BotCommand[] : [];
        // An empty list is no list: the scope falls back to the next one, as after deleteMyCommands.
        if (commands.length) this.commandMenus.set(key, commands.map(({ command, description }) => ({ command, description })));
        else this.commandMenus.delete(key);
        return ok(true);
      }
      case 'answerCallbackQuery': {
        // A query is answered once; the second answer is refused like a late one.
        const id = String(p.callback_query_id);
        if (this.answeredQueries.has(id)) return refuse(badRequest(QUERY_INVALID));
        this.answeredQueries.add(id);
        return ok(true);
      }
      default:
        return ok(true);
    }
  }

  private shownText(p: Record<string, any>): string {
    const content = visibleContent(p.text, p.parse_mode, this.options);
    return JSON.stringify(content.ok ? { text: content.text, entities: content.entities } : null);
  }
}

/** A keyboard as Telegram keeps it: empty rows are dropped, and no buttons is no keyboard. */
function markupKey(markup: InlineKeyboardMarkup | undefined): string {
  const rows = (markup?.inline_keyboard ?? []).filter((row) => row.length > 0);
  return rows.length ? JSON.stringify(rows) : 'none';
}

function menuKey(scope: Record<string, unknown>, languageCode: string): string {
  return JSON.stringify([scope.type, Number(scope.chat_id ?? 0), Number(scope.user_id ?? 0), languageCode]);
}

function toTelegramMessage(m: ChatMessage): Message {
  return {
    message_id: m.messageId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: m.chatId, type: 'private', first_name: 'user' },
    from: TEST_BOT_INFO,
    text: m.text,
    ...(m.media?.method === 'sendPhoto'
      ? { photo: [{ file_id: m.media.fileId, file_unique_id: `u${m.media.fileId}`, width: 1000, height: 620 }], caption: m.text }
      : {}),
    ...(m.markup ? { reply_markup: m.markup } : {}),
  } as Message;
}

export function buttonsOf(message: ChatMessage): InlineKeyboardButton.CallbackButton[] {
  return (message.markup?.inline_keyboard ?? []).flat()
    .filter((b): b is InlineKeyboardButton.CallbackButton => 'callback_data' in b);
}

/** The labels of a message's buttons, in order. */
export const labelsOf = (message: ChatMessage): string[] => buttonsOf(message).map((b) => b.text);

/** Builds updates and feeds them to the bot through bot.handleUpdate, like polling would. */
export class TelegramHarness<C extends Context> {
  private updateId = 1;

  constructor(readonly bot: Bot<C>, readonly fake: FakeTelegram) {}

  user(id: number, p: { firstName?: string; username?: string; languageCode?: string } = {}): TgUser {
    return {
      id, is_bot: false, first_name: p.firstName ?? `User${id}`,
      ...(p.username ? { username: p.username } : {}),
      ...(p.languageCode ? { language_code: p.languageCode } : {}),
    };
  }

  messageUpdate(from: TgUser, text: string): Update {
    const command = /^\/[a-z0-9_]+/i.exec(text);
    return {
      update_id: this.updateId++,
      message: {
        message_id: this.fake.nextMessageId(),
        date: Math.floor(Date.now() / 1000),
        chat: { id: from.id, type: 'private', first_name: from.first_name },
        from, text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    };
  }

  callbackUpdate(from: TgUser, message: ChatMessage, data: string): Update {
    const callback_query: CallbackQuery = {
      id: this.fake.nextQueryId(), from, chat_instance: `ci${from.id}`, data,
      message: toTelegramMessage(message),
    };
    return { update_id: this.updateId++, callback_query };
  }

  /** The user sends a text (commands get their bot_command entity). */
  async send(from: TgUser, text: string): Promise<void> {
    await this.bot.handleUpdate(this.messageUpdate(from, text));
  }

  /** The user taps a button with this callback data on a message (forged data allowed). */
  async tap(from: TgUser, message: ChatMessage, data: string): Promise<void> {
    await this.bot.handleUpdate(this.callbackUpdate(from, message, data));
  }

  /** The callback data of the button whose label contains `label`. */
  dataOf(message: ChatMessage, label: string): string {
    const button = buttonsOf(message).find((b) => b.text.includes(label));
    if (!button) {
      throw new Error(`no button "${label}" on message ${message.messageId}: ${buttonsOf(message).map((b) => b.text).join(', ')}`);
    }
    return button.callback_data;
  }

  /** The user taps the button labelled `label` (substring) on a bot message. */
  async press(from: TgUser, message: ChatMessage, label: string): Promise<void> {
    await this.tap(from, message, this.dataOf(message, label));
  }

  /** answerCallbackQuery payloads for a query id order: the last one. */
  lastAnswer(): Record<string, any> | undefined {
    return this.fake.callsTo('answerCallbackQuery').at(-1);
  }
}
