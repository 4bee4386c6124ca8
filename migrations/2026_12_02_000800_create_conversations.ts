import { sql, type Kysely } from 'kysely';

/**
 * §12 conversations: one per customer's Telegram account (the private chat
 * with the bot), attached to their lead, and its messages both ways.
 * - Inbound messages are unique per Telegram message id, so a redelivered
 *   update never stores a message twice.
 * - Media are kept by Telegram file id only (no local disk, as §5).
 * - read_up_to_id: the newest inbound message someone who works the lead has seen
 *   (the inbox's unread count); off_hours_replied_for: the off-hours period
 *   already answered (once per period).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversations')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('lead_id', 'integer', (c) => c.notNull().references('leads.id'))
    .addColumn('telegram_user_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('telegram_chat_id', 'bigint', (c) => c.notNull())
    .addColumn('username', 'text')
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .addColumn('campaign_link_id', 'integer', (c) => c.references('campaign_links.id'))
    .addColumn('start_payload', 'text')
    .addColumn('blocked_at', 'timestamptz')
    .addColumn('off_hours_replied_for', 'text')
    .addColumn('read_up_to_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_message_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index conversations_lead_idx on conversations (lead_id)`.execute(db);
  // The inbox: newest conversation first, keyset by (last_message_at, id).
  await sql`create index conversations_recent_idx on conversations (last_message_at desc, id desc)`.execute(db);

  await db.schema
    .createTable('conversation_messages')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('conversation_id', 'integer', (c) => c.notNull().references('conversations.id'))
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('in', 'out')`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('telegram_message_id', 'bigint')
    .addColumn('text', 'text')
    .addColumn('file_id', 'text')
    .addColumn('file_unique_id', 'text')
    .addColumn('mime_type', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('details', 'jsonb')
    .addColumn('sender_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('received', 'queued', 'sent', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await sql`create unique index conversation_messages_inbound_uq on conversation_messages (conversation_id, telegram_message_id)
    where direction = 'in'`.execute(db);
  await sql`create index conversation_messages_page_idx on conversation_messages (conversation_id, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversation_messages').execute();
  await db.schema.dropTable('conversations').execute();
}
