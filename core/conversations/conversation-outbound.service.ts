import { sql } from 'kysely';
import type { ConversationMessage, Db, Notification, User } from '../database.js';
import { NotFoundError } from '../errors.js';
import { getLeadForUser } from '../leads/lead.repository.js';
import { parseOutboxMessage } from '../outbox/outbox.messages.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import type { ChannelTextKey } from './conversation.constants.js';
import { findConversationOfLead, getMessage, insertMessage, markRead } from './conversation.repository.js';
import { replyColumns, type ReplyContent } from './conversation.rules.js';

/**
 * One of the bot's own texts for a customer (§12): stored in the
 * conversation by its template key (rendered in the customer's language,
 * from the admin's text or the default, when it is delivered) and queued
 * for their chat. askPhone adds the "share my phone" button.
 */
export async function queueBotText(
  db: Db, conversationId: number, p: { template: ChannelTextKey; askPhone?: boolean },
): Promise<ConversationMessage> {
  const message = (await insertMessage(db, {
    conversation_id: conversationId, direction: 'out', kind: 'text', status: 'queued', sender_user_id: null,
    details: JSON.stringify({ template: p.template, ask_phone: p.askPhone ?? p.template === 'ask_phone' }),
  }))!;
  await queueMessage(db, { customer: conversationId }, { kind: 'customer_message', conversationId, messageId: message.id });
  return message;
}

/**
 * Staff answer a customer through the bot (§12): the reply is stored in
 * the lead's conversation (sender: the viewer) and queued for the
 * customer's chat — they only ever see the bot. Answering reads the
 * conversation and is activity on the lead. Throws NotFoundError('lead' |
 * 'conversation'), ForbiddenError, ValidationError('reply').
 */
export async function replyToCustomer(
  db: Db, viewer: User, p: { leadId: number; content: ReplyContent },
): Promise<ConversationMessage> {
  const columns = replyColumns(p.content);
  return inTransaction(db, async (trx) => {
    await getLeadForUser(trx, p.leadId, viewer);
    const conversation = await findConversationOfLead(trx, p.leadId);
    if (!conversation) throw new NotFoundError('conversation', `of lead ${p.leadId}`);
    const message = (await insertMessage(trx, {
      conversation_id: conversation.id, direction: 'out', status: 'queued', sender_user_id: viewer.id, ...columns,
    }))!;
    await queueMessage(trx, { customer: conversation.id }, {
      kind: 'customer_message', conversationId: conversation.id, messageId: message.id,
    });
    await markRead(trx, conversation.id);
    // A reply to the customer is a contact too (speed-to-lead, issue 11).
    await trx.updateTable('leads').set({
      last_activity_at: sql`now()`, updated_at: sql`now()`, first_contacted_at: sql`coalesce(first_contacted_at, now())`,
    }).where('id', '=', p.leadId).execute();
    return message;
  });
}

/** 📱 Asks the customer to share their phone (a reply-keyboard contact button). Throws as replyToCustomer. */
export async function askCustomerForPhone(db: Db, viewer: User, leadId: number): Promise<ConversationMessage> {
  return inTransaction(db, async (trx) => {
    await getLeadForUser(trx, leadId, viewer);
    const conversation = await findConversationOfLead(trx, leadId);
    if (!conversation) throw new NotFoundError('conversation', `of lead ${leadId}`);
    return queueBotText(trx, conversation.id, { template: 'ask_phone', askPhone: true });
  });
}

/** The outcome of delivering a row, as core records it for the conversation. */
export type DeliveryOutcome = { sent: true; telegramMessageId: number } | { sent: false; error: string; httpStatus?: number | undefined };

/**
 * What a delivery outcome means for a customer's conversation (§12): a
 * message to a customer is marked sent, or failed — and a 403 (they blocked
 * the bot) marks the conversation blocked and tells the staff member who
 * wrote it (outbox). Rows of other kinds are not a conversation's: no-op.
 * Call in the transaction that records the outcome.
 */
export async function recordCustomerDelivery(
  trx: Db, row: Pick<Notification, 'kind' | 'payload'>, outcome: DeliveryOutcome,
): Promise<void> {
  const message = parseOutboxMessage(row.kind, row.payload);
  if (message?.kind !== 'customer_message') return;
  if (outcome.sent) {
    await trx.updateTable('conversation_messages')
      .set({ status: 'sent', telegram_message_id: outcome.telegramMessageId, sent_at: sql`now()`, error: null })
      .where('id', '=', message.messageId).execute();
    return;
  }
  const blocked = outcome.httpStatus === 403;
  const failed = await trx.updateTable('conversation_messages')
    .set({ status: 'failed', error: outcome.error.slice(0, 500) })
    .where('id', '=', message.messageId).returningAll().executeTakeFirst();
  if (blocked) {
    await trx.updateTable('conversations').set({ blocked_at: sql`now()` }).where('id', '=', message.conversationId).execute();
  }
  if (!failed?.sender_user_id) return;
  const conversation = await trx.selectFrom('conversations').select('lead_id').where('id', '=', message.conversationId).executeTakeFirst();
  if (!conversation) return;
  await queueMessage(trx, { user: failed.sender_user_id }, {
    kind: 'customer_reply_failed', leadId: conversation.lead_id, conversationId: message.conversationId,
    messageId: failed.id, reason: blocked ? 'blocked' : 'refused',
  });
}

/** A stored message with its conversation, for delivery to the customer. Throws NotFoundError('conversation'). */
export async function outgoingMessage(db: Db, messageId: number) {
  const message = await getMessage(db, messageId);
  const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', message.conversation_id)
    .executeTakeFirstOrThrow();
  return { message, conversation };
}
