import { InlineKeyboard } from 'grammy';
import type { SetAsideSubmission } from '../../core/index.js';
import { intakeReplayData } from '../callback-data/misc.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

/** What a set-aside submission failed with, short enough for a line (the stored text is a code or a driver message). */
const errorOf = (s: SetAsideSubmission) => escapeHtml(truncate(s.last_error ?? '—', 200));

/** §11: the alert admins get when a submission is set aside, with its replay button. */
export function renderSetAsideAlert(t: Texts, s: SetAsideSubmission): View {
  return {
    text: t.sources.setAsideAlert(s.id, escapeHtml(s.source_name), errorOf(s)),
    keyboard: new InlineKeyboard().text(t.sources.replay(s.id), intakeReplayData.pack({ submissionId: s.id })),
  };
}

/** §11: the set-aside part of /sources — a line and a replay button each; nothing when there are none. */
export function setAsideSection(t: Texts, items: readonly SetAsideSubmission[], total: number): { lines: string[]; keyboard: InlineKeyboard } {
  const keyboard = new InlineKeyboard();
  if (items.length === 0) return { lines: [], keyboard };
  const lines = ['', t.sources.setAsideTitle(total),
    ...items.map((s) => t.sources.setAsideLine(s.id, escapeHtml(s.source_name), s.attempts, t.time.agoAt(s.failed_at), errorOf(s)))];
  for (const s of items) keyboard.text(t.sources.replay(s.id), intakeReplayData.pack({ submissionId: s.id })).row();
  return { lines, keyboard };
}
