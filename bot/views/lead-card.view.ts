import { InlineKeyboard } from 'grammy';
import type { Lead, User } from '../../core/database.js';
import type { LeadAction } from '../../core/leads/lead.pipeline.js';
import {
  leadAskStageData, leadCardData, leadHistoryData, leadLostData, leadLostOtherData, leadLostReasonData,
  leadNoteData, leadRollbackData, type ButtonStage,
} from '../callback-data/lead.js';
import { deleteAskData, reassignMenuData } from '../callback-data/team-actions.js';
import { leadAttachData, leadEditData, leadNotesData } from '../callback-data/lead-workflow.js';
import { escapeHtml, formatTime, truncate } from '../html.js';
import { LOST_REASON_CODES } from '../lost-reasons.js';
import type { Texts } from '../texts/index.js';

/** A message body plus its inline keyboard; every bot message uses parse_mode HTML. */
export interface View { text: string; keyboard: InlineKeyboard }

export interface LeadCardData {
  lead: Lead;
  assignee: Pick<User, 'full_name' | 'username'> | null;
  /** From core availableActions(lead, viewer): the card shows only these. */
  actions: readonly LeadAction[];
}

// Each user-supplied field is capped so that a card always fits Telegram's 4096 characters.
const FIELD_MAX = 300;
const field = (label: string, value: string | null | undefined): string | null =>
  value ? `${label}: ${escapeHtml(truncate(value, FIELD_MAX))}` : null;

export function personLabel(user: Pick<User, 'full_name' | 'username'>): string {
  return escapeHtml(user.full_name) + (user.username ? ` (@${escapeHtml(user.username)})` : '');
}

export function formatScore(score: number | null, none: string): string {
  return score === null ? none : score.toFixed(2);
}

export function leadCardText(t: Texts, { lead, assignee }: LeadCardData): string {
  const utm = [lead.utm_source, lead.utm_medium, lead.utm_campaign, lead.utm_content, lead.utm_term]
    .filter(Boolean).join(' / ');
  const score = lead.ai_score === null
    ? null
    : `${formatScore(lead.ai_score, t.common.none)}${lead.quality_tier ? ` (${lead.quality_tier})` : ''}`;
  const lines = [
    t.card.title(lead.id),
    field(t.card.name, lead.full_name),
    field(t.card.phone, lead.phone),
    field(t.card.email, lead.email),
    field(t.card.company, lead.company),
    field(t.card.position, lead.position),
    `${t.card.source}: ${lead.source}${lead.form_reference ? ` · ${escapeHtml(truncate(lead.form_reference, FIELD_MAX))}` : ''}`,
    field(t.card.utm, utm),
    field(t.card.intent, lead.intent),
    field(t.card.painPoints, lead.pain_points),
    field(t.card.domain, lead.business_domain),
    `${t.card.stage}: <b>${t.stages[lead.stage]}</b>`,
    score && `${t.card.score}: ${score}`,
    field(t.card.lostReason, lead.stage === 'LOST' ? lead.lost_reason : null),
    `${t.card.assignee}: ${assignee ? personLabel(assignee) : t.card.unassigned}`,
    `${t.card.lastActivity}: ${formatTime(lead.last_activity_at)}`,
  ];
  return lines.filter((l): l is string => Boolean(l)).join('\n');
}

export function leadCardKeyboard(t: Texts, lead: Lead, actions: readonly LeadAction[]): InlineKeyboard {
  const kb = new InlineKeyboard();
  const ask = (stage: ButtonStage) => leadAskStageData.pack({ stage, leadId: lead.id, version: lead.version });
  if (actions.includes('contacted')) kb.text(t.card.contacted, ask('CONTACTED'));
  if (actions.includes('qualified')) kb.text(t.card.qualified, ask('QUALIFIED'));
  if (actions.includes('lost')) kb.text(t.card.lost, leadLostData.pack({ leadId: lead.id, version: lead.version }));
  kb.row();
  if (actions.includes('rollback')) {
    kb.text(t.card.rollback, leadRollbackData.pack({ leadId: lead.id, version: lead.version })).row();
  }
  if (actions.includes('note')) kb.text(t.card.note, leadNoteData.pack({ leadId: lead.id }));
  if (actions.includes('notes')) kb.text(t.notes.button, leadNotesData.pack({ leadId: lead.id, page: 1 }));
  if (actions.includes('attach')) kb.text(t.attach.button, leadAttachData.pack({ leadId: lead.id }));
  if (actions.includes('edit') || actions.includes('history')) kb.row();
  if (actions.includes('edit')) kb.text(t.edit.button, leadEditData.pack({ leadId: lead.id, version: lead.version }));
  if (actions.includes('history')) kb.text(t.card.history, leadHistoryData.pack({ leadId: lead.id, page: 1 }));
  const { id: leadId, version } = lead;
  if (actions.includes('reassign') || actions.includes('delete')) kb.row();
  if (actions.includes('reassign')) kb.text(t.reassign.button, reassignMenuData.pack({ leadId, version, page: 0 }));
  if (actions.includes('delete')) kb.text(t.deletion.button, deleteAskData.pack({ leadId, version }));
  return kb;
}

/** The card; `notice` (already HTML) goes on top, e.g. "moved to CONTACTED". */
export function renderLeadCard(t: Texts, data: LeadCardData, notice?: string): View {
  const text = leadCardText(t, data);
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: leadCardKeyboard(t, data.lead, data.actions) };
}

/** Step two of a stage button: the same card, a question, ✅ / ❌. */
export function renderStageConfirm(t: Texts, data: LeadCardData, stage: ButtonStage, confirmData: string): View {
  return {
    text: `${leadCardText(t, data)}\n\n${t.actions.confirmStage(data.lead.id, t.stages[stage])}`,
    keyboard: new InlineKeyboard()
      .text(t.common.confirm, confirmData)
      .text(t.common.cancel, leadCardData.pack({ leadId: data.lead.id })),
  };
}

/** ❌ Lost: preset reasons, ✍️ Other…, and back to the card. */
export function renderLostReasons(t: Texts, data: LeadCardData): View {
  const { id: leadId, version } = data.lead;
  const kb = new InlineKeyboard();
  LOST_REASON_CODES.forEach((reason, i) => {
    kb.text(t.lostReasons[reason], leadLostReasonData.pack({ reason, leadId, version }));
    if (i % 2 === 1) kb.row();
  });
  kb.row()
    .text(t.actions.lostOther, leadLostOtherData.pack({ leadId, version }))
    .text(t.common.back, leadCardData.pack({ leadId }));
  return { text: `${leadCardText(t, data)}\n\n${t.actions.lostAsk(leadId)}`, keyboard: kb };
}
