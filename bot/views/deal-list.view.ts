import { InlineKeyboard } from 'grammy';
import { DEAL_STAGES, type DealList, type StageTotal } from '../../core/index.js';
import { dealOpenData, dealsPageData, DEAL_LIST_FILTERS, type DealListFilter } from '../callback-data/deal.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { formatAmount } from './amount.view.js';
import type { View } from './lead-card.view.js';

export interface DealListView {
  list: DealList;
  filter: DealListFilter;
  page: number;
  /** Everyone's deals (managers, admins), so each row names its owner. */
  everyone: boolean;
}

const filterName = (t: Texts, f: DealListFilter) => (f === 'OPEN' ? t.dealList.open : t.deals.stages[f]);

/** Per stage: "KYC: 3 deals · ₴12,500.00 + $300.00" (one sum per currency; amounts are never converted). */
export function totalsLines(t: Texts, totals: readonly StageTotal[]): string[] {
  return DEAL_STAGES.flatMap((stage) => {
    const rows = totals.filter((r) => r.stage === stage);
    if (!rows.length) return [];
    const n = rows.reduce((sum, r) => sum + r.count, 0);
    const amounts = rows.filter((r) => r.amountMinor !== '0').map((r) => formatAmount(t, r.amountMinor, r.currency)).join(' + ');
    return [t.dealList.totalLine(t.deals.stages[stage], n, amounts)];
  });
}

/**
 * /deals (§9): a page of deals as buttons (each opens its card), the
 * totals per stage of the whole filtered set, ◀ ▶ keyset pages, and the
 * stage filter as a row of toggles.
 */
export function renderDealList(t: Texts, v: DealListView): View {
  const { list, filter, page } = v;
  const title = (v.everyone ? t.dealList.titleAll : t.dealList.title)(filterName(t, filter), page);
  const totals = totalsLines(t, list.totals);
  const text = [title, list.items.length ? null : t.dealList.empty, totals.length ? `<b>${t.dealList.totals}</b>\n${totals.join('\n')}` : null]
    .filter(Boolean).join('\n\n');
  const kb = new InlineKeyboard();
  for (const d of list.items) {
    const who = escapeHtml(truncate(d.lead_company || d.lead_name || `#${d.lead_id}`, 28))
      + (v.everyone ? ` · ${escapeHtml(truncate(d.owner_name, 16))}` : '');
    const amount = d.amount_minor === null ? '' : formatAmount(t, d.amount_minor, d.currency);
    kb.text(t.dealList.row(d.id, t.deals.stages[d.stage], who, amount), dealOpenData.pack({ dealId: d.id })).row();
  }
  const pageData = (dir: 'first' | 'next' | 'prev', p: number, cursor: string | null) =>
    dealsPageData.pack({ filter, dir, page: p, cursor: cursor ?? '0' });
  if (list.hasPrev && page > 2) kb.text(t.dealList.first, pageData('first', 1, null));
  if (list.hasPrev) kb.text(t.common.prev, pageData('prev', page - 1, list.prevCursor));
  if (list.hasNext) kb.text(t.common.next, pageData('next', page + 1, list.nextCursor));
  kb.row();
  for (const f of DEAL_LIST_FILTERS) {
    const label = f === 'OPEN' ? t.dealList.filterOpen : t.deals.stages[f];
    kb.text(f === filter ? `• ${label}` : label, dealsPageData.pack({ filter: f, dir: 'first', page: 1, cursor: '0' }));
    if (f === 'KYC') kb.row();
  }
  return { text, keyboard: kb, standalone: true };
}
