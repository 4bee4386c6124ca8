import { InlineKeyboard } from 'grammy';
import type { Core, LeadCard, OutboxMessageOf, User } from '../../core/index.js';
import { leadOpenData } from '../callback-data/lead.js';
import { pingOwnerData } from '../callback-data/followups.js';
import { reassignMenuData } from '../callback-data/team-actions.js';
import type { Texts } from '../texts/index.js';
import { renderDigest, renderReminderDue } from '../views/followups.view.js';
import { personLabel, renderLeadCard, type View } from '../views/lead-card.view.js';

type FollowupMessage = OutboxMessageOf<'reminder' | 'reminder_failed' | 'sla_breach' | 'escalation' | 'owner_pinged' | 'digest'>;

export interface FollowupRenderDeps {
  /** The recipient's card; throws UndeliverableError when they can no longer see the lead. */
  cardFor: (leadId: number) => Promise<LeadCard>;
  refuse: (why: string) => Error;
}

/**
 * Issue 11's messages, rendered at delivery in the recipient's language
 * from the state then: a reminder that was cancelled, done or moved
 * meanwhile is not sent (its row is refused, which changes nothing).
 */
export async function renderFollowupMessage(
  core: Core, t: Texts, m: FollowupMessage, recipient: User, deps: FollowupRenderDeps,
): Promise<View> {
  const nameOf = async (userId: number) => {
    const user = await core.outbox.person(userId);
    return user ? personLabel(user) : t.history.system;
  };
  switch (m.kind) {
    case 'reminder': {
      const reminder = await core.reminders.get(recipient, m.reminderId).catch(() => null);
      if (!reminder || reminder.status !== 'scheduled') throw deps.refuse('the reminder was ended or moved');
      return renderReminderDue(t, reminder, await deps.cardFor(m.leadId));
    }
    case 'reminder_failed':
      return {
        text: t.followups.failed(m.leadId, await nameOf(m.ownerId), m.reason),
        keyboard: new InlineKeyboard().text(t.card.open, leadOpenData.pack({ leadId: m.leadId })),
      };
    case 'sla_breach':
      return renderLeadCard(t, await deps.cardFor(m.leadId), t.followups.slaBreach(m.leadId, m.minutes));
    case 'escalation': {
      if (m.rung === 3) {
        const to = m.toUserId === null ? t.card.unassigned : await nameOf(m.toUserId);
        return { text: t.followups.escalatedAway(m.leadId, to), keyboard: new InlineKeyboard() };
      }
      const card = await deps.cardFor(m.leadId);
      if (card.lead.assigned_to !== m.ownerId) throw deps.refuse('the lead has another owner by now');
      const view = renderLeadCard(t, card, t.followups.escalated(m.leadId, await nameOf(m.ownerId), t.followups.causes[m.cause]));
      const kb = new InlineKeyboard()
        .text(t.followups.reassignButton, reassignMenuData.pack({ leadId: m.leadId, version: card.lead.version, page: 0 }))
        .text(t.followups.pingButton, pingOwnerData.pack({ leadId: m.leadId }))
        .row();
      for (const row of view.keyboard.inline_keyboard) kb.row(...row);
      return { text: view.text, keyboard: kb };
    }
    case 'owner_pinged':
      return renderLeadCard(t, await deps.cardFor(m.leadId), t.followups.pinged(await nameOf(m.byUserId)));
    case 'digest':
      return renderDigest(t, await core.followups.digest(recipient));
  }
}
