import { InlineKeyboard } from 'grammy';
import type { AssignableUser, ErrorOf, LeadCard } from '../../core/index.js';
import { leadAnalyzeData } from '../callback-data/ai.js';
import { leadCardData } from '../callback-data/lead.js';
import { leadEditFieldData } from '../callback-data/lead-edit.js';
import { transferConfirmData, transferOwnersData, transferPickData } from '../callback-data/transfer.js';
import { truncate } from '../html.js';
import { transferRefusalLines } from '../texts/errors.js';
import type { Texts } from '../texts/index.js';
import { leadCardText, type View } from './lead-card.view.js';

/** People per page of the owner picker. */
export const OWNER_PAGE_SIZE = 8;

/**
 * §8 refused: the card, what failed (every condition, in core's order) and
 * the fix of each under it — ✏️ the business domain (the edit flow for that
 * field), 🤖 an analysis (again) — and back to the card.
 */
export function renderTransferRefused(t: Texts, card: LeadCard, e: ErrorOf<'TRANSFER_REFUSED'>): View {
  const { id: leadId, version } = card.lead;
  const kb = new InlineKeyboard();
  for (const refusal of e.refusals) {
    if (refusal === 'no_domain' && card.actions.includes('edit')) {
      kb.text(t.transfer.fixDomain, leadEditFieldData.pack({ field: 'businessDomain', leadId, version })).row();
    }
    if (refusal === 'not_analyzed') kb.text(t.transfer.analyze, leadAnalyzeData.pack({ leadId })).row();
    if (refusal === 'score_too_low') kb.text(t.transfer.analyzeAgain, leadAnalyzeData.pack({ leadId })).row();
  }
  kb.text(t.common.back, leadCardData.pack({ leadId }));
  return {
    text: `${leadCardText(t, card)}\n\n${t.transfer.refused(leadId)}\n${transferRefusalLines(t, e)}`,
    keyboard: kb,
  };
}

/**
 * The confirmation: who will own the deal (null: nobody yet, a manager must
 * choose); ✅ only when someone will, 👤 another owner for managers.
 */
export function renderTransferConfirm(
  t: Texts, card: LeadCard, owner: { id: number | null; label: string | null }, canChoose: boolean,
): View {
  const { id: leadId, version } = card.lead;
  const kb = new InlineKeyboard();
  if (owner.label) kb.text(t.common.confirm, transferConfirmData.pack({ leadId, version, ownerId: owner.id ?? 0 }));
  if (canChoose) kb.text(t.transfer.chooseOwner, transferOwnersData.pack({ leadId, version, page: 0 }));
  kb.row().text(t.common.cancel, leadCardData.pack({ leadId }));
  return { text: `${leadCardText(t, card)}\n\n${t.transfer.confirm(leadId, owner.label ?? t.transfer.noOwnerYet)}`, keyboard: kb };
}

/** 👤 The owner picker: active agents and managers with their open-lead load, a page at a time. */
export function renderOwnerPicker(t: Texts, card: LeadCard, people: readonly AssignableUser[], page: number): View {
  const { id: leadId, version } = card.lead;
  const pages = Math.max(1, Math.ceil(people.length / OWNER_PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const kb = new InlineKeyboard();
  for (const { user, load } of people.slice(current * OWNER_PAGE_SIZE, (current + 1) * OWNER_PAGE_SIZE)) {
    // Button labels are plain text: no escaping, only a length cap.
    kb.text(t.transfer.ownerLine(truncate(user.full_name, 32), load), transferPickData.pack({ leadId, version, ownerId: user.id })).row();
  }
  if (current > 0) kb.text(t.common.prev, transferOwnersData.pack({ leadId, version, page: current - 1 }));
  if (current < pages - 1) kb.text(t.common.next, transferOwnersData.pack({ leadId, version, page: current + 1 }));
  kb.row().text(t.common.back, leadCardData.pack({ leadId }));
  return { text: `${leadCardText(t, card)}\n\n${t.transfer.pickOwner(leadId)}`, keyboard: kb };
}
