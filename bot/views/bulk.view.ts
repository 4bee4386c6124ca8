import { InlineKeyboard } from 'grammy';
import { BULK_LIMIT, LOST_REASON_CODES, type AssignableUser, type BulkResult, type Lead } from '../../core/index.js';
import {
  bulkAssignData, bulkAssignMenuData, bulkClearData, bulkDeleteAskData, bulkDeleteData, bulkLostData,
  bulkLostMenuData, bulkPageData, bulkStageData, bulkStageMenuData, bulkToggleData,
} from '../callback-data/bulk.js';
import { bulkAnalyzeData } from '../callback-data/ai.js';
import { escapeHtml, truncate } from '../html.js';
import { errorText } from '../texts/errors.js';
import type { Texts } from '../texts/index.js';
import type { View } from './lead-card.view.js';

export interface BulkPageView {
  page: number;
  items: Lead[];
  /** The whole selection (it may span pages). */
  selected: ReadonlySet<number>;
  /** This page's store key, and its neighbours'. */
  key: string;
  prevKey: string | null;
  nextKey: string | null;
  /** Admins see 🗑 Delete…; core refuses anyone else anyway. */
  canDelete: boolean;
}

// Button labels are plain text (no parse mode): names need no escaping, only a length cap.
const leadLabel = (t: Texts, lead: Lead, on: boolean) =>
  `${on ? '☑' : '☐'} #${lead.id} · ${truncate(lead.full_name ?? lead.company ?? lead.email ?? lead.phone ?? '—', 28)} · ${t.stages[lead.stage]}`;

/** /bulk: ☐/☑ per lead, ◀ ▶, then the actions for the selection. */
export function renderBulkPage(t: Texts, p: BulkPageView): View {
  const kb = new InlineKeyboard();
  for (const lead of p.items) {
    kb.text(leadLabel(t, lead, p.selected.has(lead.id)), bulkToggleData.pack({ leadId: lead.id, key: p.key })).row();
  }
  if (p.prevKey) kb.text(t.common.prev, bulkPageData.pack({ key: p.prevKey }));
  if (p.nextKey) kb.text(t.common.next, bulkPageData.pack({ key: p.nextKey }));
  kb.row();
  if (p.selected.size > 0) {
    kb.text(t.bulk.stage, bulkStageMenuData.pack({ key: p.key })).text(t.bulk.assign, bulkAssignMenuData.pack({ key: p.key }))
      .text(t.ai.bulkAnalyze, bulkAnalyzeData.pack({ key: p.key }));
    if (p.canDelete) kb.text(t.bulk.delete, bulkDeleteAskData.pack({ key: p.key }));
    kb.row().text(t.bulk.clear, bulkClearData.pack({ key: p.key }));
  }
  const text = p.items.length || p.page > 1
    ? t.bulk.title(p.page, p.selected.size, BULK_LIMIT)
    : t.bulk.empty;
  return { text, keyboard: kb };
}

const back = (t: Texts, key: string) => new InlineKeyboard().row().text(t.common.back, bulkPageData.pack({ key }));

export function renderStageMenu(t: Texts, key: string, count: number): View {
  const kb = new InlineKeyboard()
    .text(t.card.contacted, bulkStageData.pack({ stage: 'CONTACTED', key }))
    .text(t.card.qualified, bulkStageData.pack({ stage: 'QUALIFIED', key }))
    .text(t.card.lost, bulkLostMenuData.pack({ key }))
    .row().text(t.common.back, bulkPageData.pack({ key }));
  return { text: t.bulk.stageAsk(count), keyboard: kb };
}

export function renderLostMenu(t: Texts, key: string, count: number): View {
  const kb = new InlineKeyboard();
  LOST_REASON_CODES.forEach((reason, i) => {
    kb.text(t.lostReasons[reason], bulkLostData.pack({ reason, key }));
    if (i % 2 === 1) kb.row();
  });
  kb.row().text(t.common.back, bulkPageData.pack({ key }));
  return { text: t.bulk.lostAsk(count), keyboard: kb };
}

/** The people who can take leads, with load/capacity; 🔴 is full (core re-checks per lead). */
export function renderAssignMenu(t: Texts, key: string, count: number, people: AssignableUser[]): View {
  if (people.length === 0) return { text: t.bulk.nobody, keyboard: back(t, key) };
  const kb = new InlineKeyboard();
  for (const p of people) {
    const label = t.bulk.person(truncate(p.user.full_name, 28), p.load, p.capacity, p.user.is_available);
    kb.text(label, bulkAssignData.pack({ userId: p.user.id, key })).row();
  }
  kb.text(t.common.back, bulkPageData.pack({ key }));
  return { text: t.bulk.assignAsk(count), keyboard: kb };
}

/** The explicit confirmation §6 requires before a bulk delete; `snapshot` holds exactly these ids. */
export function renderDeleteConfirm(t: Texts, key: string, snapshot: string, ids: readonly number[]): View {
  const list = ids.slice(0, 30).map((id) => `#${id}`).join(', ') + (ids.length > 30 ? ', …' : '');
  return {
    text: `${t.bulk.deleteAsk(ids.length)}\n${list}`,
    keyboard: new InlineKeyboard()
      .text(t.bulk.deleteConfirm(ids.length), bulkDeleteData.pack({ snapshot, key }))
      .text(t.common.cancel, bulkPageData.pack({ key })),
  };
}

// 15 lines of at most ~200 characters (the longest error text) keep the summary inside Telegram's 4096.
const MAX_FAILURE_LINES = 15;

/** "✅ 18 done, ❌ 2 failed:" and one line per failed lead with core's reason, in the reader's words. */
export function renderBulkSummary(t: Texts, result: BulkResult): string {
  const failures = result.results.filter((r) => r.status === 'error');
  const lines = failures.slice(0, MAX_FAILURE_LINES)
    .map((r) => t.bulk.failure(r.id, (r.error && errorText(t, r.error)) ?? t.common.somethingWrong));
  if (failures.length > MAX_FAILURE_LINES) lines.push(t.bulk.more(failures.length - MAX_FAILURE_LINES));
  return [t.bulk.summary(result.succeeded, result.failed), ...lines].join('\n');
}
