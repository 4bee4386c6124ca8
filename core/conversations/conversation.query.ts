import { assertActive } from '../access/access-policy.js';
import type { ConversationMessage, Db, User } from '../database.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { getLeadForUser } from '../leads/lead.repository.js';
import { decodeCursor, encodeCursor } from '../leads/lead.repository.js';
import { MESSAGES_DEFAULT_LIMIT, MESSAGES_MAX_LIMIT } from './conversation.constants.js';
import {
  findConversationOfLead, firstInbound, getConversation, listInbox, listMessages, markRead, messagesInRange,
  type InboxRow, type MessagePage,
} from './conversation.repository.js';

export interface InboxPage { items: InboxRow[]; nextCursor: string | null; hasNext: boolean; limit: number }

const encodeInboxCursor = (row: InboxRow) => Buffer.from(`${row.last_message_at.toISOString()}|${row.conversation_id}`).toString('base64url');

function decodeInboxCursor(cursor: string): { at: Date; id: number } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || !Number.isSafeInteger(Number(id))) throw new ValidationError('cursor', 'invalid cursor');
  return { at: date, id: Number(id) };
}

/**
 * /inbox (§12): the conversations the viewer may see, newest first, each
 * with its last message and unread count — one query per page (no N+1).
 * limit 1–50 (default 10). Throws ForbiddenError, ValidationError('cursor').
 */
export async function inboxFor(db: Db, viewer: User, p: { cursor?: string | null; limit?: number } = {}): Promise<InboxPage> {
  assertActive(viewer);
  const limit = Math.min(Math.max(p.limit ?? 10, 1), 50);
  const rows = await listInbox(db, viewer, { after: p.cursor ? decodeInboxCursor(p.cursor) : null, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const hasNext = rows.length > limit;
  return { items, hasNext, limit, nextCursor: hasNext ? encodeInboxCursor(items[items.length - 1]!) : null };
}

export interface ConversationPage extends MessagePage {
  conversation: { id: number; leadId: number; customerName: string; username: string | null; blocked: boolean };
  /** Opaque cursor of the next (older) page, or null. */
  nextCursor: string | null;
}

/**
 * A lead's conversation a page at a time (§12), newest first, paginated in
 * SQL; `limit` 1–500, default 100; `cursor` from the previous page. Opening
 * the newest page marks it read. Throws NotFoundError('lead' |
 * 'conversation'), ForbiddenError, ValidationError('cursor').
 */
export async function conversationPage(
  db: Db, viewer: User, leadId: number, p: { cursor?: string | null; limit?: number } = {},
): Promise<ConversationPage> {
  await getLeadForUser(db, leadId, viewer);
  const conversation = await findConversationOfLead(db, leadId);
  if (!conversation) throw new NotFoundError('conversation', `of lead ${leadId}`);
  const limit = Math.min(Math.max(p.limit ?? MESSAGES_DEFAULT_LIMIT, 1), MESSAGES_MAX_LIMIT);
  const before = p.cursor ? decodeCursor(p.cursor) : null;
  const page = await listMessages(db, conversation.id, { before, limit });
  if (before === null) await markRead(db, conversation.id);
  return {
    ...page,
    nextCursor: page.nextBefore === null ? null : encodeCursor(page.nextBefore),
    conversation: {
      id: conversation.id, leadId, customerName: conversation.customer_name, username: conversation.username,
      blocked: conversation.blocked_at !== null,
    },
  };
}

/** What a notice shows (§12): the customer and the messages of its range (at most `limit`, the newest). */
export async function noticeMessages(
  db: Db, viewer: User, p: { leadId: number; conversationId: number; fromMessageId: number; toMessageId: number; limit: number },
): Promise<{ customerName: string; username: string | null; items: ConversationMessage[]; total: number }> {
  await getLeadForUser(db, p.leadId, viewer);
  const conversation = await getConversation(db, p.conversationId);
  const range = await messagesInRange(db, { conversationId: conversation.id, fromId: p.fromMessageId, toId: p.toMessageId, limit: p.limit });
  return { customerName: conversation.customer_name, username: conversation.username, ...range };
}

/** The first thing the customer of a lead wrote, for its new-lead card; null when the lead has no conversation. */
export async function firstMessageOf(
  db: Db, viewer: User, leadId: number,
): Promise<{ customerName: string; username: string | null; message: ConversationMessage | null } | null> {
  await getLeadForUser(db, leadId, viewer);
  const conversation = await findConversationOfLead(db, leadId);
  if (!conversation) return null;
  return { customerName: conversation.customer_name, username: conversation.username, message: (await firstInbound(db, conversation.id)) ?? null };
}

/** A message the viewer may see (to send its file again). Throws NotFoundError, ForbiddenError. */
export async function messageFor(db: Db, viewer: User, messageId: number): Promise<ConversationMessage> {
  const message = await db.selectFrom('conversation_messages').selectAll().where('id', '=', messageId).executeTakeFirst();
  if (!message) throw new NotFoundError('conversation', `message ${messageId}`);
  const conversation = await getConversation(db, message.conversation_id);
  await getLeadForUser(db, conversation.lead_id, viewer);
  return message;
}

/**
 * The lead a delivered notice was about, so that answering it with
 * Telegram's "reply" reaches the customer (§12): the message the viewer's
 * chat shows with that id must be one the outbox sent them about a lead.
 */
export async function leadOfDeliveredMessage(db: Db, viewer: User, telegramMessageId: number): Promise<number | null> {
  const row = await db.selectFrom('notifications').select('lead_id')
    .where('chat_id', '=', viewer.telegram_id).where('telegram_message_id', '=', telegramMessageId)
    .where('recipient_user_id', '=', viewer.id).where('lead_id', 'is not', null)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.lead_id ?? null;
}
