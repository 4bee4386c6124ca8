import { InlineKeyboard } from 'grammy';
import type { DeletedLead, LeadCard } from '../../core/index.js';
import { leadCardData } from '../callback-data/lead.js';
import { deleteConfirmData, deletedPageData, restoreData } from '../callback-data/team-actions.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { leadCardText, type View } from './lead-card.view.js';
import { withUndo } from './undo.view.js';

/** 🗑 Delete, step two: the card, the question, ✅ / ❌. */
export function renderDeleteConfirm(t: Texts, card: LeadCard): View {
  const { id: leadId, version } = card.lead;
  return {
    text: `${leadCardText(t, card)}\n\n${t.deletion.confirm(leadId)}`,
    keyboard: new InlineKeyboard()
      .text(t.common.confirm, deleteConfirmData.pack({ leadId, version }))
      .text(t.common.cancel, leadCardData.pack({ leadId })),
  };
}

/** What replaces the card of a lead just deleted: the notice and ↩️ Undo. */
export function renderDeleted(t: Texts, leadId: number, undoToken: string): View {
  return withUndo(t, { text: t.deletion.done(leadId), keyboard: new InlineKeyboard() }, undoToken);
}

export interface DeletedPage {
  items: DeletedLead[];
  /** 1-based, for the title only. */
  page: number;
  nextCursor: string | null;
}

/** /deleted (§6): one line and one ♻️ Restore button per lead; ▶ next page, ⏮ back to the first. */
export function renderDeletedList(t: Texts, p: DeletedPage, notice?: string): View {
  const kb = new InlineKeyboard();
  const lines = p.items.map((lead) => {
    kb.text(t.deletion.restore(lead.id), restoreData.pack({ leadId: lead.id })).row();
    const name = escapeHtml(truncate(lead.full_name ?? lead.company ?? lead.email ?? lead.phone ?? '—', 40));
    const by = lead.deleted_by_name ? escapeHtml(lead.deleted_by_name) : t.common.none;
    return t.deletion.line(lead.id, name, lead.deleted_at ? t.time.at(lead.deleted_at) : t.common.none, by);
  });
  if (p.page > 1) kb.text(t.deletion.first, deletedPageData.pack({ page: 1, cursor: '' }));
  if (p.nextCursor) kb.text(t.common.next, deletedPageData.pack({ page: p.page + 1, cursor: p.nextCursor }));
  const body = p.items.length ? [t.deletion.title(p.page), '', ...lines].join('\n') : t.deletion.empty;
  return { text: notice ? `${notice}\n\n${body}` : body, keyboard: kb };
}
