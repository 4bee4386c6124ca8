import type { TelegramFailure } from './telegram-refusals.js';

/**
 * Telegram's flood limits for messages a bot sends (Bot API FAQ): about one
 * message per second to a chat and 30 per second overall. Sliding one-second
 * windows; an over-limit send gets the 429 Telegram gives, with retry_after in
 * whole seconds until the window frees a slot. Every send that is let through
 * takes a slot at once (before it is answered), so concurrent sends cannot all
 * squeeze through one free slot.
 */

export interface FloodLimits {
  /** Default 1. */
  perChatPerSecond?: number;
  /** Default 30. */
  globalPerSecond?: number;
}

const WINDOW_MS = 1000;

export class FloodLimit {
  private readonly perChat: number;
  private readonly global: number;
  private readonly sentByChat = new Map<string, number[]>();
  private sentAll: number[] = [];
  /** How many 429s were given. */
  refused = 0;

  constructor(limits: FloodLimits = {}) {
    this.perChat = limits.perChatPerSecond ?? 1;
    this.global = limits.globalPerSecond ?? 30;
  }

  /** Takes a slot for a send to `chatId` now, or returns the 429 to answer. */
  take(chatId: string, now = Date.now()): TelegramFailure | null {
    const recent = (times: number[]) => times.filter((t) => t > now - WINDOW_MS);
    const chat = recent(this.sentByChat.get(chatId) ?? []);
    this.sentAll = recent(this.sentAll);
    const full = chat.length >= this.perChat ? chat : this.sentAll.length >= this.global ? this.sentAll : null;
    if (full) {
      this.refused += 1;
      const freesAt = full[full.length - (full === chat ? this.perChat : this.global)]! + WINDOW_MS;
      const retryAfter = Math.max(1, Math.ceil((freesAt - now) / 1000));
      return { error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } };
    }
    chat.push(now);
    this.sentByChat.set(chatId, chat);
    this.sentAll.push(now);
    return null;
  }
}
