import { sql } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Conversation, ConversationMessage, Db, NewConversationMessage, User } from '../database.js';
import { can } from '../access/access-policy.js';
import { NotFoundError } from '../errors.js';
import { FLOOD_WINDOW_MS } from './conversation.constants.js';

/**
 * Serialises everything done for one customer until the transaction ends
 * (pg_advisory_xact_lock), so two deliveries of their first message — two
 * instances, or Telegram redelivering while the first is in progress — never
 * create two leads. Call first in the transaction.
 */
export async function lockCustomer(db: Db, telegramUserId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`customer:${telegramUserId}`}))`.execute(db);
}

export async function findConversationByTelegramUser(db: Db, telegramUserId: number): Promise<Conversation | undefined> {
  return db.selectFrom('conversations').selectAll().where('telegram_user_id', '=', telegramUserId).executeTakeFirst();
}

/** Throws NotFoundError('conversation'). */
export async function getConversation(db: Db, id: number): Promise<Conversation> {
  const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('conversation', id);
  return row;
}

/** The conversation of a lead (the newest, should two customers' have been merged into it), if any. */
export async function findConversationOfLead(db: Db, leadId: number): Promise<Conversation | undefined> {
  return db.selectFrom('conversations').selectAll().where('lead_id', '=', leadId)
    .orderBy('last_message_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Stores a message; an inbound one already stored (same Telegram message id) is not: undefined then. */
export async function insertMessage(db: Db, row: NewConversationMessage): Promise<ConversationMessage | undefined> {
  return db.insertInto('conversation_messages').values(row)
    .onConflict((oc) => oc.columns(['conversation_id', 'telegram_message_id']).where('direction', '=', 'in').doNothing())
    .returningAll().executeTakeFirst();
}

export async function getMessage(db: Db, id: number): Promise<ConversationMessage> {
  const row = await db.selectFrom('conversation_messages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('conversation', `message ${id}`);
  return row;
}

/** Whether the conversation has an inbound message older than `beforeId` (the greeting goes with the first, §12). */
export async function hasEarlierInbound(db: Db, conversationId: number, beforeId: number): Promise<boolean> {
  const row = await db.selectFrom('conversation_messages').select('id')
    .where('conversation_id', '=', conversationId).where('direction', '=', 'in').where('id', '<', beforeId)
    .limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Inbound messages of the conversation in the last FLOOD_WINDOW_MS. */
export async function recentInboundCount(db: Db, conversationId: number): Promise<number> {
  const row = await db.selectFrom('conversation_messages').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('conversation_id', '=', conversationId).where('direction', '=', 'in')
    .where('created_at', '>', sql<Date>`now() - ${`${FLOOD_WINDOW_MS} milliseconds`}::interval`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Messages fromId … toId of a conversation, oldest first, at most `limit`, and how many the range holds. */
export async function messagesInRange(
  db: Db, p: { conversationId: number; fromId: number; toId: number; limit: number },
): Promise<{ items: ConversationMessage[]; total: number }> {
  const range = db.selectFrom('conversation_messages')
    .where('conversation_id', '=', p.conversationId).where('direction', '=', 'in')
    .where('id', '>=', p.fromId).where('id', '<=', p.toId);
  const [items, count] = await Promise.all([
    range.selectAll().orderBy('id', 'desc').limit(p.limit).execute(),
    range.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items.reverse(), total: Number(count.n) };
}

/** The first message the customer wrote (the new-lead card shows it). */
export async function firstInbound(db: Db, conversationId: number): Promise<ConversationMessage | undefined> {
  return db.selectFrom('conversation_messages').selectAll()
    .where('conversation_id', '=', conversationId).where('direction', '=', 'in').where('kind', '<>', 'start')
    .orderBy('id').limit(1).executeTakeFirst();
}

export interface MessagePage { items: (ConversationMessage & { sender_name: string | null })[]; nextBefore: number | null; limit: number }

/**
 * A page of a conversation, newest first (§12), keyset on the message id:
 * `before` the id to continue below (null: the newest). limit 1–500.
 */
export async function listMessages(
  db: Db, conversationId: number, p: { before: number | null; limit: number },
): Promise<MessagePage> {
  const rows = await db.selectFrom('conversation_messages as m').leftJoin('users as u', 'u.id', 'm.sender_user_id')
    .selectAll('m').select('u.full_name as sender_name')
    .where('m.conversation_id', '=', conversationId)
    .$if(p.before !== null, (qb) => qb.where('m.id', '<', p.before!))
    .orderBy('m.id', 'desc').limit(p.limit + 1).execute();
  const items = rows.slice(0, p.limit);
  return { items, nextBefore: rows.length > p.limit ? items[items.length - 1]!.id : null, limit: p.limit };
}

export interface InboxRow {
  conversation_id: number;
  lead_id: number;
  customer_name: string;
  username: string | null;
  lead_name: string | null;
  last_message_at: Date;
  blocked: boolean;
  unread: number;
  last: Pick<ConversationMessage, 'id' | 'direction' | 'kind' | 'text' | 'file_name' | 'details'> | null;
}

/**
 * The inbox (§12) in ONE query: each conversation the viewer may see (an
 * agent's own leads; everyone's for managers) with its last message
 * (lateral subquery) and unread count (inbound after read_up_to_id),
 * newest first; keyset on (last_message_at, id) through `after`.
 */
export async function listInbox(
  db: Db, viewer: User, p: { after: { at: Date; id: number } | null; limit: number },
): Promise<InboxRow[]> {
  const rows = await db.selectFrom('conversations as c')
    .innerJoin('leads as l', 'l.id', 'c.lead_id')
    .select([
      'c.id as conversation_id', 'c.lead_id', 'c.customer_name', 'c.username', 'l.full_name as lead_name',
      'c.last_message_at', sql<boolean>`c.blocked_at is not null`.as('blocked'),
    ])
    .select((eb) => [
      eb.selectFrom('conversation_messages as u').select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('u.conversation_id', '=', 'c.id').where('u.direction', '=', 'in')
        .whereRef('u.id', '>', 'c.read_up_to_id').as('unread'),
      jsonObjectFrom(eb.selectFrom('conversation_messages as m')
        .select(['m.id', 'm.direction', 'm.kind', 'm.text', 'm.file_name', 'm.details'])
        .whereRef('m.conversation_id', '=', 'c.id').orderBy('m.id', 'desc').limit(1)).as('last'),
    ])
    .where('l.is_deleted', '=', false)
    .$if(!can(viewer, 'leads.all'), (qb) => qb.where('l.assigned_to', '=', viewer.id))
    .$if(p.after !== null, (qb) => qb.where((eb) => eb.or([
      eb('c.last_message_at', '<', p.after!.at),
      eb.and([eb('c.last_message_at', '=', p.after!.at), eb('c.id', '<', p.after!.id)]),
    ])))
    .orderBy('c.last_message_at', 'desc').orderBy('c.id', 'desc')
    .limit(p.limit).execute();
  return rows.map((r) => ({
    ...r, unread: Number(r.unread ?? 0),
    last_message_at: new Date(r.last_message_at),
    last: r.last ? { ...r.last, details: r.last.details as Record<string, unknown> | null } : null,
  }));
}

/** Marks the conversation read up to its newest inbound message. */
export async function markRead(db: Db, conversationId: number): Promise<void> {
  await sql`update conversations set read_up_to_id = greatest(read_up_to_id, coalesce(
    (select max(id) from conversation_messages where conversation_id = ${conversationId} and direction = 'in'), 0))
    where id = ${conversationId}`.execute(db);
}
