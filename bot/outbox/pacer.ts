import { setTimeout as sleep } from 'node:timers/promises';

export interface PacerOptions {
  /**
   * Least time between two messages to one chat, ms (Telegram: about one a
   * second), counted from the previous send's answer when sent() is called. Default 1050.
   */
  perChatIntervalMs?: number;
  /** Most messages a second overall (Telegram: about 30). Default 28. */
  perSecond?: number;
  now?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Spaces outgoing messages to stay inside Telegram's limits (§16): at most
 * `perSecond` overall and one per `perChatIntervalMs` per chat, so a fan-out
 * runs at the limit instead of into 429s. Slots are handed out in call
 * order and reserved at once, so concurrent senders never share one. Our
 * own few lines rather than grammY's throttler: delivery must know when a
 * send actually starts, to hand back what never started at shutdown, and a
 * queue inside a transformer hides that.
 * The defaults keep a margin under Telegram's limits: Telegram counts
 * arrivals, and the time between our slot and the arrival varies (network,
 * a busy event loop), so slots paced at exactly 1/s and 30/s arrived as
 * 429s — 153 in a bench of 2,000 sends (bench/delivery.bench.ts). So a
 * chat's next slot counts from the previous send's ANSWER (sent()): its
 * arrival was before that, the next one's is after its start, so they are
 * at least the interval apart however late either was; and 28/s overall
 * leaves about 70 ms of jitter to spare under the 30.
 */
export function createPacer(options: PacerOptions = {}) {
  const perChatMs = options.perChatIntervalMs ?? 1050;
  const gapMs = 1000 / (options.perSecond ?? 28);
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? ((ms: number, signal?: AbortSignal) => sleep(ms, undefined, signal ? { signal } : {}));
  const lastByChat = new Map<number, number>();
  const answeredByChat = new Map<number, number>();
  let nextFree = -Infinity;

  function forget(before: number): void {
    // Chats quiet for longer than the interval need no memory; keeps the map small.
    if (lastByChat.size < 10_000) return;
    for (const [chat, at] of lastByChat) if (at < before) lastByChat.delete(chat);
    for (const [chat, at] of answeredByChat) if (at < before) answeredByChat.delete(chat);
  }

  return {
    /**
     * Resolves when a message to `chatId` may go out. Rejects with the
     * signal's reason (AbortError) when aborted while waiting: nothing was sent.
     */
    async slot(chatId: number, signal?: AbortSignal): Promise<void> {
      const t = now();
      forget(t - perChatMs);
      const at = Math.max(t, nextFree, (lastByChat.get(chatId) ?? -Infinity) + perChatMs,
        (answeredByChat.get(chatId) ?? -Infinity) + perChatMs);
      nextFree = at + gapMs;
      lastByChat.set(chatId, at);
      if (at > t) await wait(at - t, signal);
      signal?.throwIfAborted();
    },
    /** The send to `chatId` given a slot has been answered (or failed): its next slot counts from now. */
    sent(chatId: number): void {
      answeredByChat.set(chatId, now());
    },
  };
}
export type Pacer = ReturnType<typeof createPacer>;
