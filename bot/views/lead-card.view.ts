import { InlineKeyboard } from 'grammy';
import { LOST_REASON_CODES, OPEN_STAGES, type LeadAction, type LeadCard, type User } from '../../core/index.js';
import {
  leadAskStageData, leadCardData, leadHistoryData, leadLostData, leadLostOtherData, leadLostReasonData,
  leadRollbackData, type ButtonStage,
} from '../callback-data/lead.js';
import { attachmentAddData } from '../callback-data/lead-attachment.js';
import { dealOpenData } from '../callback-data/deal.js';
import { transferAskData } from '../callback-data/transfer.js';
import { leadEditData, leadTextData } from '../callback-data/lead-edit.js';
import { noteAddData, noteOpenData, notesPageData } from '../callback-data/lead-note.js';
import { remindMenuData } from '../callback-data/followups.js';
import { deleteAskData, reassignMenuData } from '../callback-data/team-actions.js';
import { escapeHtml, truncate } from '../html.js';
import { conversationButtons } from './conversation-buttons.js';
import type { Texts } from '../texts/index.js';
import { authorLabel } from './lead-notes.view.js';
import { lostReasonText, noteText } from './stored-words.js';
import { addAiButtons, aiLines } from './lead-ai.view.js';

/**
 * A message body plus its inline keyboard; every bot message uses parse_mode
 * HTML. `standalone`: a screen of its own (a list), which does not keep the
 * 📋 back-to-list button of the message it replaces.
 */
export interface View { text: string; keyboard: InlineKeyboard; standalone?: boolean }

// Each user-supplied field is capped so that a card always fits Telegram's 4096 characters.
export const FIELD_MAX = 300;
const field = (label: string, value: string | null | undefined): string | null =>
  value ? `${label}: ${escapeHtml(truncate(value, FIELD_MAX))}` : null;
const isCut = (value: string | null) => value !== null && value.length > FIELD_MAX;

export function personLabel(user: Pick<User, 'full_name' | 'username'>): string {
  return escapeHtml(user.full_name) + (user.username ? ` (@${escapeHtml(user.username)})` : '');
}

export function formatScore(score: number | null, none: string): string {
  return score === null ? none : score.toFixed(2);
}

const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const;

/** "source google · medium cpc · campaign spring": each UTM value with its label, in the reader's words. */
function utmLine(t: Texts, lead: LeadCard['lead']): string | null {
  const parts = UTM_FIELDS.filter((f) => lead[f]).map((f) => `${t.card.utmLabels[f]} ${escapeHtml(truncate(lead[f]!, 80))}`);
  return parts.length ? `${t.card.utm}: ${parts.join(' · ')}` : null;
}

/**
 * The card's text (§1, issue 9): who, how to reach them (phones and emails
 * as plain text, which Telegram makes tappable), where they came from (the
 * form's name, UTM values with their labels), what they want, the stage,
 * the AI score with its tier, trend, recommendation and reason (§7), who holds the lead, when it came (relative, and absolute in
 * the viewer's zone), the last activity and the start of the last note.
 */
/** Speed-to-lead (issue 11): how long the first contact took, or how long a NEW lead has waited for it. */
function firstContactLine(t: Texts, lead: LeadCard['lead']): string | null {
  if (lead.first_contacted_at) return t.followups.firstContact(lead.first_contacted_at.getTime() - lead.created_at.getTime());
  return lead.stage === 'NEW' ? t.followups.notContacted(Date.now() - lead.created_at.getTime()) : null;
}

export function leadCardText(t: Texts, { lead, assignee, formSourceName, lastNote, nextReminder, ai }: LeadCard): string {
  const form = formSourceName ? ` · ${t.card.form}: ${escapeHtml(truncate(formSourceName, 80))}` : '';
  const note = lastNote && `${t.notes.last} (${authorLabel(t, lastNote.author_name)}, ${t.time.ago(lastNote.created_at)}): `
    + `<i>${escapeHtml(truncate(noteText(t, lastNote), 160))}${lastNote.truncated ? '…' : ''}</i>`;
  const lines = [
    t.card.title(lead.id),
    field(t.card.name, lead.full_name),
    field(t.card.phone, lead.phone),
    // Typed in a form but not readable as a number: shown, marked, never taken for a verified phone.
    lead.phone ? null : field(t.card.phoneUnverified, lead.phone_unverified),
    field(t.card.email, lead.email),
    field(t.card.company, lead.company),
    field(t.card.position, lead.position),
    `${t.card.source}: ${t.leadSources[lead.source]}${form}`,
    utmLine(t, lead),
    field(t.card.intent, lead.intent),
    field(t.card.painPoints, lead.pain_points),
    field(t.card.domain, lead.business_domain),
    `${t.card.stage}: <b>${t.stages[lead.stage]}</b>`,
    ...aiLines(t, { lead, ai }),
    field(t.card.lostReason, lead.stage === 'LOST' ? lostReasonText(t, lead) : null),
    `${t.card.assignee}: ${assignee ? personLabel(assignee) : t.card.unassigned}`,
    `${t.card.came}: ${t.time.agoAt(lead.created_at)}`,
    `${t.card.lastActivity}: ${t.time.ago(lead.last_activity_at)}`,
    firstContactLine(t, lead),
    nextReminder && t.followups.nextStep(t.time.at(nextReminder.due_at),
      nextReminder.body ? escapeHtml(truncate(nextReminder.body, 120)) : '', escapeHtml(nextReminder.user_name)),
    note,
  ];
  return lines.filter((l): l is string => Boolean(l)).join('\n');
}

export function leadCardKeyboard(t: Texts, card: LeadCard): InlineKeyboard {
  const { lead, actions } = card;
  const kb = new InlineKeyboard();
  const has = (a: LeadAction) => actions.includes(a);
  const ask = (stage: ButtonStage) => leadAskStageData.pack({ stage, leadId: lead.id, version: lead.version });
  const { id: leadId, version } = lead;
  if (has('contacted')) kb.text(t.card.contacted, ask('CONTACTED'));
  if (has('qualified')) kb.text(t.card.qualified, ask('QUALIFIED'));
  if (has('lost')) kb.text(t.card.lost, leadLostData.pack({ leadId, version }));
  kb.row();
  // §12: a customer who wrote to the bot is answered from the card.
  if (card.conversationId !== null) conversationButtons(kb, t, lead).row();
  if (has('rollback')) kb.text(t.card.rollback, leadRollbackData.pack({ leadId, version })).row();
  // §8: the next step of a QUALIFIED lead, and the way to the deal a transferred one became.
  if (has('transfer')) kb.text(t.transfer.button, transferAskData.pack({ leadId, version })).row();
  if (has('deal') && card.dealId) kb.text(t.transfer.openDeal(card.dealId), dealOpenData.pack({ dealId: card.dealId })).row();
  if (has('note')) kb.text(t.card.note, noteAddData.pack({ leadId }));
  if (has('notes')) kb.text(t.notes.button, notesPageData.pack({ leadId, page: 1 }));
  if (has('attachment')) kb.text(t.attachments.button, attachmentAddData.pack({ leadId }));
  const remind = has('note') && OPEN_STAGES.includes(lead.stage);
  if (has('edit') || has('history') || remind) kb.row();
  // §10: whoever may write on an open lead may set themselves a reminder about it.
  if (remind) kb.text(t.followups.remindButton, remindMenuData.pack({ leadId }));
  if (has('edit')) kb.text(t.edit.button, leadEditData.pack({ leadId, version }));
  if (has('history')) kb.text(t.card.history, leadHistoryData.pack({ leadId, page: 1 }));
  addAiButtons(kb, t, card);
  if (has('reassign') || has('delete')) kb.row();
  if (has('reassign')) kb.text(t.reassign.button, reassignMenuData.pack({ leadId, version, page: 0 }));
  if (has('delete')) kb.text(t.deletion.button, deleteAskData.pack({ leadId, version }));
  // Long texts the card cuts are one tap away in full.
  const full: [string, () => string][] = [];
  if (isCut(lead.intent)) full.push([`📄 ${t.card.intent}`, () => leadTextData.pack({ field: 'intent', leadId })]);
  if (isCut(lead.pain_points)) full.push([`📄 ${t.card.painPoints}`, () => leadTextData.pack({ field: 'painPoints', leadId })]);
  const note = card.lastNote;
  if (note?.truncated && has('notes')) full.push([`📄 ${t.notes.last}`, () => noteOpenData.pack({ noteId: note.id })]);
  if (full.length) kb.row();
  for (const [label, data] of full) kb.text(label, data());
  return kb;
}

/** The card; `notice` (already HTML) goes on top, e.g. "moved to CONTACTED". */
export function renderLeadCard(t: Texts, card: LeadCard, notice?: string): View {
  const text = leadCardText(t, card);
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: leadCardKeyboard(t, card) };
}

/** Step two of a stage button: the same card, a question, ✅ / ❌. */
export function renderStageConfirm(t: Texts, card: LeadCard, stage: ButtonStage, confirmData: string): View {
  return {
    text: `${leadCardText(t, card)}\n\n${t.actions.confirmStage(card.lead.id, t.stages[stage])}`,
    keyboard: new InlineKeyboard()
      .text(t.common.confirm, confirmData)
      .text(t.common.cancel, leadCardData.pack({ leadId: card.lead.id })),
  };
}

/** ❌ Lost: preset reasons, ✍️ Other…, and back to the card. */
export function renderLostReasons(t: Texts, card: LeadCard): View {
  const { id: leadId, version } = card.lead;
  const kb = new InlineKeyboard();
  LOST_REASON_CODES.forEach((reason, i) => {
    kb.text(t.lostReasons[reason], leadLostReasonData.pack({ reason, leadId, version }));
    if (i % 2 === 1) kb.row();
  });
  kb.row()
    .text(t.actions.lostOther, leadLostOtherData.pack({ leadId, version }))
    .text(t.common.back, leadCardData.pack({ leadId }));
  return { text: `${leadCardText(t, card)}\n\n${t.actions.lostAsk(leadId)}`, keyboard: kb };
}
