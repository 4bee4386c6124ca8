import { InlineKeyboard } from 'grammy';
import {
  can, ForbiddenError, NotFoundError, type Core, type OutboxMessage, type OutboxMessageOf, type User,
} from '../../core/index.js';
import { accessDecisionData } from '../callback-data/access.js';
import { leadOpenData } from '../callback-data/lead.js';
import { escapeHtml, truncate } from '../html.js';
import { textsForUser, type Texts } from '../texts/index.js';
import { personLabel, renderLeadCard, type View } from '../views/lead-card.view.js';
import { leadChangedHeading, renderSourceAlert } from '../views/notices.view.js';
import { renderSetAsideAlert } from '../views/set-aside.view.js';
import { renderStaleAlert } from '../views/stale-alert.view.js';
import { renderFollowupMessage } from './followup-render.js';
import { renderChatOutbox, renderDealMessage } from './deal-render.js';
import {
  newCustomerHeading, renderCustomerMessage, renderCustomerMessages, renderInviteUsed, renderLeadsImported,
  renderReplyFailed, type OutboxView,
} from './channel-render.js';

export type { OutboxView };

/** Why a message cannot be delivered at all; retrying would not help (it is marked failed at once). */
export class UndeliverableError extends Error {
  override name = 'UndeliverableError';
}

/**
 * Renders an outbox message for its recipient, in their language, from the
 * state at delivery time (not as it was when queued): a lead card is
 * core's read model for the recipient, so someone who can no longer see the
 * lead gets nothing. The switch is exhaustive over the message union, so a
 * new kind fails tsc here until it has its rendering.
 * Throws UndeliverableError; NotFoundError when the lead is gone.
 */
export async function renderOutboxMessage(core: Core, message: OutboxMessage, recipient: User): Promise<OutboxView> {
  const t = textsForUser(core, recipient);
  switch (message.kind) {
    case 'lead_card': {
      const card = await cardFor(core, recipient, message.leadId);
      // §12: a customer who wrote to the bot arrives with what they wrote.
      const heading = message.reason === 'new'
        ? (card.conversationId !== null ? await newCustomerHeading(core, t, recipient, card.lead.id) : t.notify.newLead)
        : message.reason === 'restored' ? t.notify.restoredToYou(await nameOf(core, message.byUserId, t))
          : message.reason === 'picked_up' ? t.followups.pickedUp
          : message.reason === 'escalated' ? t.followups.escalatedToYou
          : t.reassign.toYou(await nameOf(core, message.byUserId, t));
      return renderLeadCard(t, card, heading);
    }
    case 'unassigned_lead': {
      const card = await cardFor(core, recipient, message.leadId);
      const heading = message.reason === 'new' ? t.notify.unassigned : t.notify.unassignedAgain;
      // §12: what the customer wrote comes with it, as on an assignee's card.
      const wrote = message.reason === 'new' && card.conversationId !== null
        ? `\n${await newCustomerHeading(core, t, recipient, card.lead.id)}` : '';
      return renderLeadCard(t, card, `${heading}${wrote}`);
    }
    case 'repeat_inquiry': {
      const { lead } = await cardFor(core, recipient, message.leadId);
      const summary = message.summary.trim() ? `\n<i>${escapeHtml(truncate(message.summary.trim(), 500))}</i>` : '';
      return {
        text: `${t.notify.repeatInquiry(lead.id)}${summary}`,
        keyboard: new InlineKeyboard().text(t.card.open, leadOpenData.pack({ leadId: lead.id })),
      };
    }
    case 'stale_alert': {
      const card = await cardFor(core, recipient, message.leadId);
      return renderStaleAlert(t, card.lead, card.actions, message.days);
    }
    case 'lead_reassigned_away':
      return renderReassignedAway(core, t, message, recipient);
    case 'lead_changed':
      return renderLeadChanged(core, t, message, recipient);
    case 'form_source_failing':
      return renderSourceFailing(core, t, message, recipient);
    case 'intake_failed': {
      // Nothing once it was replayed, or for someone who no longer manages sources.
      if (!can(recipient, 'sources.manage')) throw new UndeliverableError('the recipient no longer manages form sources');
      const item = await core.intake.setAside(recipient, message.submissionId);
      if (!item) throw new UndeliverableError('the submission is no longer set aside');
      return renderSetAsideAlert(t, item);
    }
    case 'access_request':
      return renderAccessRequest(core, t, message, recipient);
    case 'access_decided':
      return plain(message.approved && message.role ? t.access.youWereApproved(t.roles[message.role]) : t.access.youWereRejected);
    case 'role_changed':
      return plain(t.users.yourRoleIs(t.roles[message.role]));
    case 'account_deactivated':
      return plain(t.users.youWereDeactivated);
    case 'account_reactivated':
      return plain(t.users.youWereReactivated);
    case 'invite_used':
      return renderInviteUsed(core, t, message);
    case 'customer_messages':
      return renderCustomerMessages(core, t, message, await assertCanSee(core, recipient, message.leadId), refuse);
    case 'customer_reply_failed':
      return renderReplyFailed(core, t, message, await assertCanSee(core, recipient, message.leadId));
    case 'leads_imported':
      return renderLeadsImported(t, message);
    case 'reminder': case 'reminder_failed': case 'sla_breach': case 'escalation': case 'owner_pinged': case 'digest':
      return renderFollowupMessage(core, t, message, recipient, { cardFor: (leadId) => cardFor(core, recipient, leadId), refuse });
    case 'deal_card':
    case 'deal_changed':
    case 'deal_stale_alert':
      return renderDealMessage(core, t, message, recipient, refuse);
    case 'customer_message':
      throw new UndeliverableError('a message to a customer addressed to a user');
    case 'sales_chat_deal':
      throw new UndeliverableError('a team chat\'s message addressed to a user');
    default: {
      const unknownKind: never = message;
      throw new UndeliverableError(`unknown message ${JSON.stringify(unknownKind)}`);
    }
  }
}

const plain = (text: string): View => ({ text, keyboard: new InlineKeyboard() });
const refuse = (why: string) => new UndeliverableError(why);

/**
 * A message to a customer's chat (§12): no user receives it, so no user's
 * language or rights apply — the customer's conversation decides.
 * Throws UndeliverableError, NotFoundError.
 */
export async function renderCustomerOutbox(core: Core, message: OutboxMessage): Promise<OutboxView> {
  if (message.kind !== 'customer_message') throw new UndeliverableError(`a ${message.kind} for a customer's chat`);
  return renderCustomerMessage(core, message, refuse);
}

/** A message to a configured team chat (the sales chat, §8): rendered in the team's language. Throws UndeliverableError, NotFoundError. */
export async function renderTeamChatOutbox(core: Core, message: OutboxMessage): Promise<OutboxView> {
  return renderChatOutbox(core, message, refuse);
}

/** The recipient, once their right to the lead is checked (a notice about a lead they cannot see is not sent). */
async function assertCanSee(core: Core, recipient: User, leadId: number): Promise<User> {
  await cardFor(core, recipient, leadId);
  return recipient;
}

/** The recipient's card of the lead; a recipient who can no longer see it gets nothing. */
async function cardFor(core: Core, recipient: User, leadId: number) {
  try {
    return await core.leads.card(recipient, leadId);
  } catch (err) {
    if (err instanceof ForbiddenError) throw new UndeliverableError('the recipient can no longer see the lead');
    throw err;
  }
}

async function nameOf(core: Core, userId: number | null, t: Texts): Promise<string> {
  const user = userId === null ? null : await core.outbox.person(userId);
  return user ? personLabel(user) : t.history.system;
}

/**
 * §4: the previous assignee can no longer see the lead, so the notice
 * carries only its number and who has it now — unless that is no longer
 * true at delivery time (an undo gave the lead back).
 */
async function renderReassignedAway(
  core: Core, t: Texts, m: OutboxMessageOf<'lead_reassigned_away'>, recipient: User,
): Promise<View> {
  const holder = await core.outbox.leadHolder(m.leadId);
  if (!holder) throw new NotFoundError('lead', m.leadId);
  if (holder.assignedTo === recipient.id) throw new UndeliverableError('the lead is the recipient\'s again');
  const by = await nameOf(core, m.byUserId, t);
  const to = m.toUserId === null ? null : await core.outbox.person(m.toUserId);
  return plain(to ? t.reassign.away(m.leadId, personLabel(to), by) : t.reassign.awayUnassigned(m.leadId, by));
}

/**
 * Others changed the recipient's lead: one notice with who did what, on top
 * of the recipient's card as it is now (its buttons theirs). Nothing once
 * the lead is someone else's; a lead deleted meanwhile gets the notice
 * without a card (there is none to show).
 */
async function renderLeadChanged(core: Core, t: Texts, m: OutboxMessageOf<'lead_changed'>, recipient: User): Promise<View> {
  const state = await core.outbox.leadState(m.leadId);
  if (!state) throw new NotFoundError('lead', m.leadId);
  if (state.assignedTo !== recipient.id) throw new UndeliverableError('the lead is no longer the recipient\'s');
  const actors = [...new Set(m.changes.map((c) => c.byUserId))];
  const people = await Promise.all(actors.map((id) => nameOf(core, id, t)));
  const heading = leadChangedHeading(t, m.leadId, m.changes, people);
  if (state.deleted) return plain(`${heading}\n\n${t.notices.deletedNow}`);
  return renderLeadCard(t, await cardFor(core, recipient, m.leadId), heading);
}

/** §11: a failing form, by its current name; nothing for someone who no longer manages sources. */
async function renderSourceFailing(
  core: Core, t: Texts, m: OutboxMessageOf<'form_source_failing'>, recipient: User,
): Promise<View> {
  if (!can(recipient, 'sources.manage')) throw new UndeliverableError('the recipient no longer manages form sources');
  const source = await core.formSources.find(recipient, m.formSourceId);
  return renderSourceAlert(t, escapeHtml(source.name), m.problem, m.streak);
}

/** §1: a request for access, with the decision buttons; nothing once it was decided or the admin no longer decides. */
async function renderAccessRequest(core: Core, t: Texts, m: OutboxMessageOf<'access_request'>, recipient: User): Promise<View> {
  if (!can(recipient, 'access.decide')) throw new UndeliverableError('the recipient no longer decides access');
  const person = await core.outbox.person(m.userId);
  if (!person || person.status !== 'pending') throw new UndeliverableError('the request was already decided');
  const keyboard = new InlineKeyboard()
    .text(t.access.approveAgent, accessDecisionData.pack({ decision: 'agent', userId: person.id }))
    .text(t.access.approveManager, accessDecisionData.pack({ decision: 'manager', userId: person.id }))
    .row()
    .text(t.access.reject, accessDecisionData.pack({ decision: 'reject', userId: person.id }));
  const text = t.access.request(
    escapeHtml(person.full_name), person.username ? `@${escapeHtml(person.username)}` : '', person.telegram_id);
  return { text, keyboard };
}
