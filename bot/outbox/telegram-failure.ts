import { GrammyError, HttpError } from 'grammy';
import { asServiceUnavailable, NotFoundError } from '../../core/index.js';
import { UndeliverableError } from './render.js';

/**
 * What a failed delivery means (§10, §16):
 * - telegram_down: network error or 5xx — Telegram (or the way to it) is away;
 *   the message waits, delivery backs off as a whole;
 * - chat_limited: 429 for this chat — it waits retry_after, other chats go on;
 * - refused_text: 400 about the text (HTML that does not parse, too long) —
 *   worth one try in plain, shortened form;
 * - permanent: other 4xx (403: the bot was blocked), the recipient or lead gone;
 * - transient: anything else (the database away while rendering): retried with backoff.
 */
export type DeliveryFailure =
  | { kind: 'telegram_down' }
  | { kind: 'chat_limited'; retryAfterMs: number }
  | { kind: 'refused_text' }
  | { kind: 'permanent' }
  | { kind: 'transient' };

const TEXT_REFUSALS = /can't parse entities|message is too long|text must be non-empty|unsupported start tag|can't find end tag/i;

export function classifyFailure(err: unknown): DeliveryFailure {
  if (err instanceof GrammyError) {
    if (err.error_code === 429) return { kind: 'chat_limited', retryAfterMs: Math.max(1, err.parameters.retry_after ?? 1) * 1000 };
    if (err.error_code >= 500) return { kind: 'telegram_down' };
    if (err.error_code === 400 && TEXT_REFUSALS.test(err.description)) return { kind: 'refused_text' };
    return { kind: 'permanent' };
  }
  if (err instanceof HttpError) return { kind: 'telegram_down' };
  if (err instanceof UndeliverableError || err instanceof NotFoundError) return { kind: 'permanent' };
  if (asServiceUnavailable(err)) return { kind: 'transient' };
  return { kind: 'transient' };
}

/** A failure as stored in last_error and logged: never the message text (it may hold phones and emails). */
export function describeFailure(err: unknown): string {
  if (err instanceof GrammyError) return `${err.error_code}: ${err.description}`;
  if (err instanceof HttpError) return `network: ${err.message}`;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
