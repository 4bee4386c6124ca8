import { InlineKeyboard, Keyboard } from 'grammy';
import type { Core, OutboxMessageOf, ReplyMediaKind, User } from '../../core/index.js';
import { leadOpenData } from '../callback-data/lead.js';
import { replyData } from '../callback-data/channels.js';
import { escapeHtml } from '../html.js';
import { textsFor, type Texts } from '../texts/index.js';
import { customerLabel, messageText, NOTICE_LINES, renderCustomerNotice } from '../views/conversation.view.js';
import { personLabel, type View } from '../views/lead-card.view.js';

/**
 * A rendered outbox message. Messages to customers (§12) may carry a file
 * (sent by its Telegram file id, the text as its caption) and a reply
 * keyboard — the "share my phone" button, or its removal — in place of the
 * inline keyboard.
 */
export interface OutboxView extends View {
  media?: { kind: ReplyMediaKind; fileId: string };
  replyMarkup?: Keyboard | { remove_keyboard: true };
}

/** Thrown for a message that must not be delivered; defined by render.ts, passed in to avoid a cycle. */
type Refuse = (why: string) => Error;

/**
 * A message of a customer's conversation, for their chat (§12): a staff
 * reply (text, or a file by id with its caption) or one of the bot's own
 * texts — the admin's version in the customer's language, else the default
 * — rendered now. Plain text: what staff and admins typed is escaped.
 */
export async function renderCustomerMessage(core: Core, m: OutboxMessageOf<'customer_message'>, refuse: Refuse): Promise<OutboxView> {
  const { message, conversation } = await core.conversations.outgoing(m.messageId);
  const t = textsFor(conversation.language, core.users.timeZoneOf({ timezone: null }));
  const keyboard = new InlineKeyboard();
  const template = message.details?.template as keyof Texts['customer']['defaults'] | undefined;
  if (template) {
    const text = (await core.conversations.botText(template, conversation.language)) ?? t.customer.defaults[template];
    const replyMarkup = message.details?.ask_phone
      ? new Keyboard().requestContact(t.customer.sharePhone).resized().oneTime()
      : template === 'phone_saved' ? { remove_keyboard: true as const } : undefined;
    return { text: escapeHtml(text), keyboard, ...(replyMarkup ? { replyMarkup } : {}) };
  }
  if (message.kind === 'text') return { text: escapeHtml(message.text ?? ''), keyboard };
  if (!message.file_id) throw refuse('a file message without a file');
  return { text: escapeHtml(message.text ?? ''), keyboard, media: { kind: message.kind as ReplyMediaKind, fileId: message.file_id } };
}

/** §12: what the customer wrote since the last notice, with the card's buttons. */
export async function renderCustomerMessages(
  core: Core, t: Texts, m: OutboxMessageOf<'customer_messages'>, recipient: User, refuse: Refuse,
): Promise<View> {
  const card = await core.leads.card(recipient, m.leadId);
  const notice = await core.conversations.notice(recipient, { ...m, limit: NOTICE_LINES });
  if (notice.total === 0) throw refuse('no message left to tell');
  return renderCustomerNotice(t, { card, customer: customerLabel(notice.customerName, notice.username), items: notice.items, total: notice.total });
}

/** §12: the heading of a new lead's card when its customer wrote to the bot: who, and what they wrote first. */
export async function newCustomerHeading(core: Core, t: Texts, recipient: User, leadId: number): Promise<string> {
  const first = await core.conversations.firstMessage(recipient, leadId);
  if (!first) return t.notify.newLead;
  const wrote = first.message ? `\n${t.conversations.wrote(customerLabel(first.customerName, first.username))} ${messageText(t, first.message)}` : '';
  return `${t.conversations.newCustomer}${wrote}`;
}

/** §12: a reply that did not reach the customer, for the person who wrote it. */
export async function renderReplyFailed(core: Core, t: Texts, m: OutboxMessageOf<'customer_reply_failed'>, recipient: User): Promise<View> {
  const first = await core.conversations.firstMessage(recipient, m.leadId);
  const name = first ? customerLabel(first.customerName, first.username) : `#${m.leadId}`;
  return {
    text: t.conversations.replyFailed(name, m.leadId, m.reason === 'blocked'),
    keyboard: new InlineKeyboard().text(t.card.open, leadOpenData.pack({ leadId: m.leadId }))
      .text(t.conversations.reply, replyData.pack({ leadId: m.leadId })),
  };
}

/** §1: someone joined with the recipient's invite. */
export async function renderInviteUsed(core: Core, t: Texts, m: OutboxMessageOf<'invite_used'>): Promise<View> {
  const person = await core.outbox.person(m.userId);
  return { text: t.invites.used(person ? personLabel(person) : `#${m.userId}`, t.roles[m.role]), keyboard: new InlineKeyboard() };
}

/** A CSV import gave the recipient leads (or left them unassigned, for managers). */
export function renderLeadsImported(t: Texts, m: OutboxMessageOf<'leads_imported'>): View {
  return { text: m.unassigned ? t.imports.unassigned(m.count) : t.imports.assigned(m.count), keyboard: new InlineKeyboard() };
}
