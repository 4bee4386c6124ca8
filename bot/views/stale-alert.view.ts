import { InlineKeyboard } from 'grammy';
import type { Lead, LeadAction, LeadCard } from '../../core/index.js';
import {
  leadAskStageData, leadCardData, leadContactConfirmData, leadContactData, leadLostData, leadOpenData,
} from '../callback-data/lead.js';
import type { Texts } from '../texts/index.js';
import { formatScore, leadCardText, type View } from './lead-card.view.js';

/**
 * §10 alert: "⚠️ Lead #{id} ({source}) has had no activity for {days} days.
 * AI score: {score:.2f}" with [📞 Contacted] [❌ Lost]. Contacted is a stage
 * move while the lead is NEW, else it logs a contact (stale leads are
 * CONTACTED or QUALIFIED, where a second "contacted" move does not exist).
 */
export function renderStaleAlert(t: Texts, lead: Lead, actions: readonly LeadAction[], days: number): View {
  const { id: leadId, version } = lead;
  const kb = new InlineKeyboard();
  if (actions.includes('contacted')) {
    kb.text(t.card.contacted, leadAskStageData.pack({ stage: 'CONTACTED', leadId, version }));
  } else if (actions.includes('note')) {
    kb.text(t.card.contacted, leadContactData.pack({ leadId, version }));
  }
  if (actions.includes('lost')) kb.text(t.card.lost, leadLostData.pack({ leadId, version }));
  kb.row().text(t.card.open, leadOpenData.pack({ leadId }));
  return {
    text: t.notify.staleAlert(leadId, t.leadSources[lead.source], days, formatScore(lead.ai_score, t.common.none)),
    keyboard: kb,
  };
}

export function renderContactConfirm(t: Texts, data: LeadCard): View {
  const { id: leadId, version } = data.lead;
  return {
    text: `${leadCardText(t, data)}\n\n${t.actions.confirmContact(leadId)}`,
    keyboard: new InlineKeyboard()
      .text(t.common.confirm, leadContactConfirmData.pack({ leadId, version }))
      .text(t.common.cancel, leadCardData.pack({ leadId })),
  };
}
