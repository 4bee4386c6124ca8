import { afterEach, describe, expect, it, vi } from 'vitest';
import { answeringWhenDone, EARLY_ANSWER_MS, plainText, setAnswer } from '../../bot/callback-answer.js';
import type { ActiveContext } from '../../bot/context.js';

/** A tap's context as far as answering goes: the answers it sent, in order. */
function tapContext() {
  const answers: (Record<string, unknown> | undefined)[] = [];
  const ctx = {
    callbackQuery: { id: 'q1' }, callbackAnswered: false, pendingAnswer: null,
    log: { warn: () => undefined },
    answerCallbackQuery: async (options?: Record<string, unknown>) => {
      ctx.callbackAnswered = true;
      answers.push(options);
      return true;
    },
  };
  return { ctx: ctx as unknown as ActiveContext, answers };
}

describe('answering a tap (issue 9: refusals and confirmations as toasts)', () => {
  afterEach(() => vi.useRealTimers());

  it('answers once the work is done, with its words: a toast for short ones, an alert for long ones', async () => {
    const { ctx, answers } = tapContext();
    await answeringWhenDone(ctx, async () => void setAnswer(ctx, '✅ Lead #1 moved to <b>CONTACTED</b>.'));
    expect(answers).toEqual([{ text: '✅ Lead #1 moved to CONTACTED.', show_alert: false }]);

    const long = tapContext();
    const words = `⛔ ${'A rather long explanation of why not. '.repeat(3)}`;
    await answeringWhenDone(long.ctx, async () => void setAnswer(long.ctx, words));
    expect(long.answers).toEqual([{ text: words.trim(), show_alert: true }]);
  });

  it('stops the spinner of a slow tap after EARLY_ANSWER_MS, and then says nothing more', async () => {
    vi.useFakeTimers();
    const { ctx, answers } = tapContext();
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => { finish = resolve; });
    const done = answeringWhenDone(ctx, async () => {
      await slow;
      // Too late for this tap's answer: the caller learns it should say it another way.
      expect(setAnswer(ctx, 'Saved')).toBe(false);
    });
    await vi.advanceTimersByTimeAsync(EARLY_ANSWER_MS - 1);
    expect(answers).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(answers).toEqual([undefined]);
    finish();
    await done;
    expect(answers).toEqual([undefined]);
  });

  it('never answers with more than Telegram takes: 200 characters of plain text', () => {
    const { ctx } = tapContext();
    expect(setAnswer(ctx, 'x'.repeat(201))).toBe(false);
    expect(setAnswer(ctx, 'x'.repeat(200))).toBe(true);
    expect(plainText('⛔ <b>Ann &lt;A&gt;</b> &amp; co is full')).toBe('⛔ Ann <A> & co is full');
  });
});
