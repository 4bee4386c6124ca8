import type {
  AmountProblem, DealHistoryAction, DealStage, DealTransitionRule, TransferRefusal,
} from '../../core/index.js';
import { plurals } from './plural.js';

const count = plurals('en');
const plural = (n: number, one: string, other: string) => count(n, { one, other });

/**
 * Texts of the sales side (§8 transfer, §9 deals, /deals), in English.
 * Arguments that come from users (names, reasons) arrive already escaped.
 */
export const enDeals = {
  deals: {
    /** How amounts are written (Intl locale). */
    numberLocale: 'en-GB',
    title: (id: number) => `<b>Deal #${id}</b>`,
    fromLead: (leadId: number) => `from lead #${leadId}`,
    lead: 'Lead',
    company: 'Company',
    contact: 'Contact',
    domain: 'Domain',
    score: 'AI score',
    stage: 'Stage',
    amount: 'Amount',
    noAmount: 'not set yet',
    owner: 'Owner',
    opened: 'Opened',
    paid: 'Paid',
    duration: (days: number) => `${plural(days, 'day', 'days')} from opening`,
    lostReason: 'Lost reason',
    lastActivity: 'Last activity',
    stages: { NEW: 'NEW', KYC: 'KYC', AGREEMENT: 'AGREEMENT', PAID: 'PAID', LOST: 'LOST' } satisfies Record<DealStage, string>,
    buttons: {
      kyc: '➡️ KYC', agreement: '➡️ Agreement', paid: '✅ Paid', lost: '❌ Lost', history: '🕘 History',
      lead: (id: number) => `📇 Lead #${id}`, card: '💼 Deal card', undo: '↩️ Undo',
    },
    confirmStage: (id: number, stage: string) => `❓ Move deal #${id} to <b>${stage}</b>?`,
    confirmPaid: (id: number, amount: string) => `❓ Deal #${id} is paid: <b>${amount}</b>? This closes the deal.`,
    moved: (id: number, stage: string) => `✅ Deal #${id} moved to <b>${stage}</b>.`,
    askAmount: (id: number) =>
      `💰 Type the amount of deal #${id}, e.g. <code>12 500</code>, <code>12,500.50</code> or <code>12 500,50 грн</code>, or /cancel.`,
    amountAgain: (problem: string) => `${problem}\nType the amount again, or /cancel.`,
    askLostReason: (id: number, max: number) =>
      `✍️ Type why deal #${id} is lost (up to ${plural(max, 'character', 'characters')}), or /cancel.`,
    undone: (id: number, stage: string) => `↩️ Undone: deal #${id} is back in ${stage}.`,
    movedBelow: (id: number) => `⤵️ Deal #${id}: the card is below.`,
    historyTitle: (id: number, page: number, pages: number) => `🕘 <b>History of deal #${id}</b> (${page}/${pages})`,
    historyActions: {
      CREATED: 'Created from the lead', STAGE_CHANGED: 'Stage changed', UNDONE: 'Undone', STALE_ALERT: 'No-activity alert',
    } satisfies Record<DealHistoryAction, string>,
    noActivity: (days: number) => `no activity for ${plural(days, 'day', 'days')}`,
  },
  dealList: {
    usage: 'Usage: /deal &lt;id&gt;, e.g. /deal 12. /deals lists your deals.',
    title: (filter: string, page: number) => `💼 <b>Deals</b> · ${filter} · page ${page}`,
    titleAll: (filter: string, page: number) => `💼 <b>All deals</b> · ${filter} · page ${page}`,
    open: 'open',
    empty: 'No deals here.',
    totals: 'Totals',
    totalLine: (stage: string, n: number, amounts: string) => `${stage}: ${plural(n, 'deal', 'deals')}${amounts ? ` · ${amounts}` : ''}`,
    row: (id: number, stage: string, who: string, amount: string) => `#${id} · ${stage} · ${who}${amount ? ` · ${amount}` : ''}`,
    filterOpen: '📂 Open',
    first: '⏮',
  },
  transfer: {
    button: '💼 Transfer to sales',
    confirm: (leadId: number, owner: string) => `❓ Transfer lead #${leadId} to sales? The deal's owner: <b>${owner}</b>.`,
    chooseOwner: '👤 Another owner',
    pickOwner: (leadId: number) => `👤 Who owns the deal of lead #${leadId}?`,
    ownerLine: (name: string, load: number) => `${name} · ${load}`,
    noOwnerYet: 'nobody yet — choose the owner',
    done: (leadId: number, dealId: number) => `💼 Lead #${leadId} transferred to sales: deal #${dealId}.`,
    refused: (leadId: number) => `⛔ Lead #${leadId} cannot be transferred to sales yet:`,
    refusals: {
      not_qualified: (stage: string) => `• The lead is ${stage}: only a QUALIFIED lead can be transferred.`,
      not_analyzed: () => '• The lead is not analysed yet: it has no AI score.',
      score_too_low: (score: string, min: string) => `• Score ${score} is below ${min}.`,
      no_domain: () => '• Set the business domain.',
    } satisfies Record<TransferRefusal, (a: string, b: string) => string>,
    fixDomain: '✏️ Edit: business domain',
    analyze: '🤖 Analyze',
    analyzeAgain: '🤖 Analyze again',
    openDeal: (id: number) => `💼 Deal #${id}`,
  },
  dealNotify: {
    newDeal: (by: string) => `💼 <b>A new deal is yours</b> (transferred by ${by}).`,
    salesChat: '💼 <b>New deal</b>',
    changed: (who: string, id: number, from: string, to: string) => `✏️ <b>${who}</b> moved your deal #${id}: ${from} → <b>${to}</b>.`,
    undone: (who: string, id: number, to: string) => `↩️ <b>${who}</b> undid a move of your deal #${id}: back in <b>${to}</b>.`,
    stale: (id: number, days: number) => `⚠️ Deal #${id} has had no activity for ${plural(days, 'day', 'days')}.`,
  },
  dealKinds: {
    deal_card: 'Deal card', sales_chat_deal: 'Deal card for the sales chat', deal_changed: 'Deal changed by others',
    deal_stale_alert: 'Stale deal alert',
  },
  dealErrors: {
    TRANSFER_REFUSED: (lines: string) => `⛔ Cannot transfer to sales yet:\n${lines}`,
    INVALID_DEAL_TRANSITION: {
      skip: (from: string, to: string, expected: string) => `⛔ A deal cannot go from ${from} to ${to}. Expected ${expected}.`,
      backward: (from: string, to: string) => `⛔ ${from} → ${to} goes back: deals only move forward (↩️ Undo puts a mistake right within 30 s).`,
      same: (_from: string, to: string) => `ℹ️ The deal is already ${to}.`,
      terminal: (from: string) => `⛔ ${from} is final: the deal cannot move any more.`,
      amount_required: (_from: string, to: string) => `💰 ${to} needs the deal's amount.`,
    } satisfies Record<DealTransitionRule, (from: string, to: string, expected: string) => string>,
    DEAL_CHANGED: (id: number) => `⚠️ Deal #${id} has changed meanwhile — here is the current card.`,
    INVALID_AMOUNT: {
      empty: () => '⚠️ No amount: type a number, e.g. 12 500.',
      not_a_number: () => '⚠️ That is not an amount: type digits, e.g. 12 500 or 12 500,50 грн.',
      not_positive: () => '⚠️ The amount must be more than 0.',
      too_many_decimals: (d: { currency?: string; maxDecimals?: number }) =>
        d.maxDecimals ? `⚠️ ${d.currency} has at most ${plural(d.maxDecimals, 'decimal', 'decimals')}.` : `⚠️ ${d.currency} has no decimals.`,
      grouping: () => '⚠️ Digit groups look wrong: group thousands by three, e.g. 1 250 000.',
      too_large: (d: { currency?: string; max?: string }) => `⚠️ Too large: at most ${d.max} ${d.currency}.`,
      unknown_currency: (d: { text?: string }) => `⚠️ Unknown currency “${d.text ?? ''}”: use a code like UAH, USD or EUR.`,
      two_currencies: () => '⚠️ Two currencies in one amount: name one.',
    } satisfies Record<AmountProblem, (d: { currency?: string; maxDecimals?: number; max?: string; text?: string }) => string>,
  },
};
