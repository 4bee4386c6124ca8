import type { ActiveContext, BotContext } from './context.js';
import { errorFields } from './log-fields.js';

/**
 * How a button press is answered (house style rule 9): the refusals and
 * small confirmations of a tap ("Not allowed", "Already done", "Saved")
 * are the callback query's answer — a toast, or an alert when the words
 * are long — never new messages in the chat. The answer therefore waits
 * for the handler, but at most EARLY_ANSWER_MS: then the spinner is
 * stopped without words, and a refusal that comes later goes out as a
 * message (bot/error-handler.ts) while a confirmation is dropped (the
 * redrawn card shows the result anyway).
 */

/** Telegram shows a button's spinner until the answer; it may carry at most 200 characters. */
export const EARLY_ANSWER_MS = 2_500;
export const ANSWER_TEXT_MAX = 200;
/** Longer than this, a toast is gone before it is read: the answer becomes an alert (one tap to close). */
const TOAST_MAX = 90;

export interface PendingAnswer { text: string; alert: boolean }

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" };

/** Our HTML texts as the plain text a callback answer shows (no parse mode there). */
export function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e]!).trim();
}

/**
 * Words for this tap's answer, from HTML texts. Returns false when they do
 * not fit an answer (over 200 characters) or the query was already
 * answered, so the caller can say them as a message instead.
 */
export function setAnswer(ctx: BotContext, html: string, opts: { alert?: boolean } = {}): boolean {
  if (!ctx.callbackQuery || ctx.callbackAnswered) return false;
  const text = plainText(html);
  if (text.length > ANSWER_TEXT_MAX) return false;
  ctx.pendingAnswer = { text, alert: opts.alert ?? text.length > TOAST_MAX };
  return true;
}

/** Answers the callback query once, with the pending words if any. Never throws: a lost answer only leaves a spinner. */
export async function answerNow(ctx: BotContext): Promise<void> {
  if (!ctx.callbackQuery || ctx.callbackAnswered) return;
  const pending = ctx.pendingAnswer;
  ctx.pendingAnswer = null;
  try {
    await ctx.answerCallbackQuery(pending ? { text: pending.text, show_alert: pending.alert } : undefined);
  } catch (err) {
    // "query is too old": the user waited long enough to see the result itself.
    ctx.log.warn(errorFields(err), 'bot_callback_answer_failed');
  }
}

/** Runs a tap's handler, answering early if it is slow (see EARLY_ANSWER_MS), and with its words when it is done. */
export async function answeringWhenDone(ctx: ActiveContext, work: () => Promise<void>): Promise<void> {
  const early = setTimeout(() => void answerNow(ctx), EARLY_ANSWER_MS);
  try {
    await work();
  } finally {
    clearTimeout(early);
  }
  await answerNow(ctx);
}
