import { InlineKeyboard } from 'grammy';
import type { Db, Notification, User } from '../../core/database.js';
import { canViewLead } from '../../core/leads/lead.access.js';
import { getLead } from '../../core/leads/lead.repository.js';
import { leadOpenData } from '../callback-data/lead.js';
import { escapeHtml, truncate } from '../html.js';
import { cardDataFor } from '../lead-cards.js';
import { textsFor } from '../texts/index.js';
import { renderLeadCard, type View } from '../views/lead-card.view.js';
import { renderStaleAlert } from '../views/stale-alert.view.js';
import { leadCardNotice, renderReassignedAway } from './reassigned.js';

/** Why a notification cannot be delivered at all; retrying would not help. */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}

const numberIn = (payload: Record<string, unknown>, key: string): number | null =>
  typeof payload[key] === 'number' && Number.isFinite(payload[key]) ? payload[key] : null;

/**
 * Renders an outbox row for its recipient, in their language, from the
 * lead as it is at delivery time (not as it was when queued). A recipient
 * who can no longer see the lead (reassigned meanwhile) gets nothing.
 * Throws UndeliverableError, or NotFoundError when the lead is gone.
 */
export async function renderNotification(db: Db, n: Notification, recipient: User): Promise<View> {
  if (n.lead_id === null) throw new UndeliverableError(`${n.kind} without a lead`);
  const lead = await getLead(db, n.lead_id);
  const t = textsFor(recipient.language);
  // For the person who just lost the lead, so it cannot require seeing it.
  if (n.kind === 'lead_reassigned_away') {
    const notice = await renderReassignedAway(db, t, n, lead, recipient);
    if (!notice) throw new UndeliverableError('the lead is the recipient\'s again');
    return notice;
  }
  if (!canViewLead(recipient, lead)) throw new UndeliverableError('recipient can no longer see the lead');
  const data = await cardDataFor(db, lead, recipient);
  switch (n.kind) {
    case 'lead_card':
      return renderLeadCard(t, data, await leadCardNotice(db, t, n));
    case 'unassigned_lead':
      return renderLeadCard(t, data, t.notify.unassigned);
    case 'repeat_inquiry': {
      const summary = typeof n.payload.summary === 'string' && n.payload.summary.trim()
        ? `\n<i>${escapeHtml(truncate(n.payload.summary.trim(), 500))}</i>` : '';
      return {
        text: `${t.notify.repeatInquiry(lead.id)}${summary}`,
        keyboard: new InlineKeyboard().text(t.card.open, leadOpenData.pack({ leadId: lead.id })),
      };
    }
    case 'stale_alert': {
      const days = numberIn(n.payload, 'days') ?? 0;
      return renderStaleAlert(t, lead, data.actions, days);
    }
    default: {
      const unknownKind: never = n.kind;
      throw new UndeliverableError(`unknown notification kind ${String(unknownKind)}`);
    }
  }
}
