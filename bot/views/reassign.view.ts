import { InlineKeyboard } from 'grammy';
import type { AssignableUser, LeadCard } from '../../core/index.js';
import { leadCardData } from '../callback-data/lead.js';
import { reassignMenuData, reassignPickData } from '../callback-data/team-actions.js';
import { truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { leadCardText, personLabel, type View } from './lead-card.view.js';

export const REASSIGN_PAGE_SIZE = 8;

/**
 * 👤 Reassign: the card, then one button per active agent or manager with
 * their load/capacity (🔴 full: shown, and refused with the reason when
 * picked), the current assignee left out; ◀ ▶ pages; ↩️ Back to the card.
 * `page` is 0-based and clamped to the pages there are.
 */
export function renderReassignMenu(t: Texts, card: LeadCard, people: readonly AssignableUser[], page: number): View {
  const { id: leadId, version, assigned_to: current } = card.lead;
  const others = people.filter((p) => p.user.id !== current);
  const pages = Math.max(1, Math.ceil(others.length / REASSIGN_PAGE_SIZE));
  const shown = Math.min(page, pages - 1);
  const kb = new InlineKeyboard();
  for (const p of others.slice(shown * REASSIGN_PAGE_SIZE, (shown + 1) * REASSIGN_PAGE_SIZE)) {
    // Button labels are plain text: the name needs no escaping, only a length cap.
    const label = t.reassign.option(truncate(p.user.full_name, 32), p.load, p.capacity);
    kb.text(label, reassignPickData.pack({ leadId, version, userId: p.user.id })).row();
  }
  if (shown > 0) kb.text(t.common.prev, reassignMenuData.pack({ leadId, version, page: shown - 1 }));
  if (shown < pages - 1) kb.text(t.common.next, reassignMenuData.pack({ leadId, version, page: shown + 1 }));
  kb.row().text(t.common.back, leadCardData.pack({ leadId }));
  const now = card.assignee ? personLabel(card.assignee) : t.card.unassigned;
  const question = others.length ? t.reassign.choose(leadId, now) : t.reassign.nobody;
  return { text: `${leadCardText(t, card)}\n\n${question}`, keyboard: kb };
}
