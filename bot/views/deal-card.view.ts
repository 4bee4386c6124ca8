import { InlineKeyboard } from 'grammy';
import type { DealCard } from '../../core/index.js';
import {
  dealAgreementData, dealAskStageData, dealCardData, dealHistoryData, dealLostData, dealUndoData, type DealTapStage,
} from '../callback-data/deal.js';
import { leadOpenData } from '../callback-data/lead.js';
import { escapeHtml, truncate } from '../html.js';
import type { Texts } from '../texts/index.js';
import { formatAmount } from './amount.view.js';
import { FIELD_MAX, formatScore, personLabel, type View } from './lead-card.view.js';

const field = (label: string, value: string | null | undefined): string | null =>
  value ? `${label}: ${escapeHtml(truncate(value, FIELD_MAX))}` : null;

/** The deal's amount, or "not set yet". */
export const amountText = (t: Texts, deal: DealCard['deal']): string =>
  deal.amount_minor === null ? t.deals.noAmount : formatAmount(t, deal.amount_minor, deal.currency);

/**
 * The deal card's text (§9): the deal and where it came from (the lead:
 * who, company, how to reach them, domain, score), its stage, amount,
 * owner, when it opened, closed (PAID: days it took) or why it was lost.
 * `contacts`: phone and email are left out of the sales chat's copy.
 */
export function dealCardText(t: Texts, { deal, lead, owner }: DealCard, opts: { contacts?: boolean } = {}): string {
  const contacts = opts.contacts ?? true;
  const score = lead.ai_score === null ? null
    : `${formatScore(lead.ai_score, t.common.none)}${lead.quality_tier ? ` (${t.tiers[lead.quality_tier]})` : ''}`;
  const lines = [
    `${t.deals.title(deal.id)} · ${t.deals.fromLead(lead.id)}`,
    field(t.deals.lead, lead.full_name),
    field(t.deals.company, [lead.company, lead.position].filter(Boolean).join(', ')),
    contacts ? field(t.deals.contact, [lead.phone, lead.email].filter(Boolean).join(' · ')) : null,
    field(t.deals.domain, lead.business_domain),
    score && `${t.deals.score}: ${score}`,
    `${t.deals.stage}: <b>${t.deals.stages[deal.stage]}</b>`,
    `${t.deals.amount}: ${amountText(t, deal)}`,
    `${t.deals.owner}: ${personLabel(owner)}`,
    `${t.deals.opened}: ${t.time.agoAt(deal.created_at)}`,
    deal.closed_at && `${t.deals.paid}: ${t.time.at(deal.closed_at)} · ${t.deals.duration(deal.duration_days ?? 0)}`,
    field(t.deals.lostReason, deal.stage === 'LOST' ? deal.lost_reason : null),
    deal.closed_at ? null : `${t.deals.lastActivity}: ${t.time.ago(deal.last_activity_at)}`,
  ];
  return lines.filter((l): l is string => Boolean(l)).join('\n');
}

export function dealCardKeyboard(t: Texts, card: DealCard): InlineKeyboard {
  const { deal, actions } = card;
  const { id: dealId, version } = deal;
  const kb = new InlineKeyboard();
  const ask = (stage: DealTapStage) => dealAskStageData.pack({ stage, dealId, version });
  if (actions.includes('kyc')) kb.text(t.deals.buttons.kyc, ask('KYC'));
  if (actions.includes('agreement')) kb.text(t.deals.buttons.agreement, dealAgreementData.pack({ dealId, version }));
  if (actions.includes('paid')) kb.text(t.deals.buttons.paid, ask('PAID'));
  if (actions.includes('lost')) kb.text(t.deals.buttons.lost, dealLostData.pack({ dealId, version }));
  kb.row();
  if (actions.includes('history')) kb.text(t.deals.buttons.history, dealHistoryData.pack({ dealId, page: 1 }));
  if (actions.includes('lead')) kb.text(t.deals.buttons.lead(card.lead.id), leadOpenData.pack({ leadId: card.lead.id }));
  return kb;
}

/** The deal card; `notice` (already HTML) on top. */
export function renderDealCard(t: Texts, card: DealCard, notice?: string): View {
  const text = dealCardText(t, card);
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: dealCardKeyboard(t, card) };
}

/** The card with ↩️ Undo under it (30 s, §9). */
export function withDealUndo(t: Texts, view: View, token: string): View {
  return { ...view, keyboard: view.keyboard.row().text(t.deals.buttons.undo, dealUndoData.pack({ token })) };
}

/** Step two of ➡️ KYC / ✅ Paid: the card, the question, ✅ / ❌. */
export function renderDealStageConfirm(t: Texts, card: DealCard, stage: DealTapStage, confirmData: string): View {
  const question = stage === 'PAID'
    ? t.deals.confirmPaid(card.deal.id, amountText(t, card.deal))
    : t.deals.confirmStage(card.deal.id, t.deals.stages[stage]);
  return {
    text: `${dealCardText(t, card)}\n\n${question}`,
    keyboard: new InlineKeyboard().text(t.common.confirm, confirmData).text(t.common.cancel, dealCardData.pack({ dealId: card.deal.id })),
  };
}

/** The sales chat's copy (§8): the deal without phone and email, and no buttons (group chats cannot act). */
export function renderSalesChatCard(t: Texts, card: DealCard): View {
  return { text: `${t.dealNotify.salesChat}\n\n${dealCardText(t, card, { contacts: false })}`, keyboard: new InlineKeyboard() };
}
