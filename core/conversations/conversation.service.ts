import { sql } from 'kysely';
import type { Conversation, ConversationMessage, Db, Lead } from '../database.js';
import { sanitizeText } from '../leads/lead.sanitize.js';
import { createLead } from '../leads/lead.service.js';
import { findDuplicateLead } from '../leads/lead.repository.js';
import { amendPendingMessages, queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import type { Language } from '../users/user.constants.js';
import { findActiveCampaign } from './campaign-link.service.js';
import { queueBotText } from './conversation-outbound.service.js';
import {
  FLOOD_MESSAGES, FLOOD_NOTICE_MS, NOTICE_MERGE_MS, UNCOUNTED_KINDS,
} from './conversation.constants.js';
import {
  findConversationByTelegramUser, hasEarlierInbound, insertMessage, lockCustomer, recentInboundCount,
} from './conversation.repository.js';
import { inboundColumns, readablePhone, type MessageContent } from './conversation.rules.js';
import { linkToExistingLead, saveSharedPhone } from './shared-phone.service.js';
import { offHoursPeriod, type TeamHours } from './working-hours.rules.js';

/** A message a customer sent the bot (§12), as the bot edge reads it from the update. */
export interface IncomingCustomerMessage {
  telegramUserId: number;
  chatId: number;
  username: string | null;
  fullName: string;
  language: Language;
  /** Telegram's id of the message in this chat: a redelivered update carries the same one. */
  messageId: number;
  content: MessageContent;
}

export type ReceiveResult =
  | { status: 'stored'; leadId: number; conversationId: number; messageId: number; newLead: boolean }
  | { status: 'duplicate'; leadId: number; conversationId: number };

export interface ReceiveOptions {
  hours: TeamHours;
  now: Date;
  defaultCountry?: string;
}

/**
 * A customer's message (§12, §4), in ONE transaction serialised per
 * customer:
 * - the same Telegram message again (a redelivered update) changes nothing;
 * - their first message creates a lead (source MESSAGE; a /start with a
 *   campaign code takes that link's UTM values) and a conversation, and its
 *   card goes to the assignee or the managers — unless it is a contact whose
 *   phone a live lead already has (§4): the conversation joins that lead;
 * - the message is stored (media by file id), counted in message_count,
 *   and touches last_activity_at;
 * - later messages are told to whoever answers for the lead as one notice
 *   per burst: a message arriving while the notice waits (NOTICE_MERGE_MS,
 *   FLOOD_NOTICE_MS while the customer floods) joins it, so nothing is lost
 *   and nobody is flooded;
 * - a shared contact fills the lead's phone by the §4 rule (or joins the
 *   lead that has it);
 * - the first message of the conversation gets the greeting (with a
 *   "share my phone" button while the lead has no phone); outside working
 *   hours the off-hours text goes out once per off-hours period.
 * Every message to the customer is an outbox row for their chat.
 */
export async function receiveCustomerMessage(
  db: Db, incoming: IncomingCustomerMessage, opts: ReceiveOptions,
): Promise<ReceiveResult> {
  return inTransaction(db, async (trx) => {
    await lockCustomer(trx, incoming.telegramUserId);
    let conversation = await findConversationByTelegramUser(trx, incoming.telegramUserId);
    if (conversation && await alreadyStored(trx, conversation.id, incoming.messageId)) {
      return { status: 'duplicate', leadId: conversation.lead_id, conversationId: conversation.id };
    }
    const live = conversation ? await liveLead(trx, conversation.lead_id) : undefined;
    let lead: Lead;
    let newLead = false;
    if (conversation && live) {
      lead = live;
    } else {
      // A first contact, or a returning customer whose lead was deleted: find theirs by phone, or open a new one.
      const found = await leadByContact(trx, incoming.content, opts.defaultCountry);
      lead = found ?? await openLead(trx, incoming, opts.defaultCountry);
      newLead = !found;
      conversation = await attachConversation(trx, conversation, lead.id, incoming);
      if (found) await linkToExistingLead(trx, { target: found, conversation });
    }

    const message = await insertMessage(trx, {
      conversation_id: conversation.id, direction: 'in', status: 'received',
      telegram_message_id: incoming.messageId, ...inboundColumns(incoming.content),
    });
    if (!message) return { status: 'duplicate', leadId: lead.id, conversationId: conversation.id };
    await touch(trx, conversation, lead, incoming);

    if (incoming.content.kind === 'contact' && !newLead) {
      lead = await saveSharedPhone(trx, { conversation, lead, phone: incoming.content.phone, defaultCountry: opts.defaultCountry });
    }
    if (!newLead) await noticeAssignee(trx, { lead, conversation, message });
    await autoReplies(trx, { conversation, lead, message, opts });
    return { status: 'stored', leadId: lead.id, conversationId: conversation.id, messageId: message.id, newLead };
  });
}

async function alreadyStored(db: Db, conversationId: number, telegramMessageId: number): Promise<boolean> {
  const row = await db.selectFrom('conversation_messages').select('id')
    .where('conversation_id', '=', conversationId).where('direction', '=', 'in')
    .where('telegram_message_id', '=', telegramMessageId).executeTakeFirst();
  return row !== undefined;
}

async function liveLead(db: Db, leadId: number): Promise<Lead | undefined> {
  return db.selectFrom('leads').selectAll().where('id', '=', leadId).where('is_deleted', '=', false)
    .forUpdate().executeTakeFirst();
}

/** The live lead whose phone a shared contact carries (§4), if the first thing the customer sends is one. */
async function leadByContact(db: Db, content: MessageContent, defaultCountry?: string): Promise<Lead | undefined> {
  if (content.kind !== 'contact') return undefined;
  const phone = readablePhone(content.phone, defaultCountry);
  if (!phone) return undefined;
  const duplicate = await findDuplicateLead(db, { phone, email: null });
  return duplicate ? liveLead(db, duplicate.id) : undefined;
}

/** A new MESSAGE lead for a customer (§2), attributed to the campaign of a deep link's /start code. */
async function openLead(db: Db, incoming: IncomingCustomerMessage, defaultCountry?: string): Promise<Lead> {
  const payload = incoming.content.kind === 'start' ? incoming.content.payload : null;
  const shared = incoming.content.kind === 'contact' ? incoming.content.phone : null;
  const phone = shared ? readablePhone(shared, defaultCountry) : null;
  const campaign = payload ? await findActiveCampaign(db, payload) : undefined;
  const handle = incoming.username ? ` (@${incoming.username})` : '';
  return createLead(db, {
    source: 'MESSAGE',
    fullName: incoming.fullName || null,
    phone,
    phoneUnverified: shared && !phone ? shared : null,
    utm: campaign ? {
      source: campaign.utm_source, medium: campaign.utm_medium, campaign: campaign.utm_campaign,
      content: campaign.utm_content, term: campaign.utm_term,
    } : undefined,
    formReference: campaign ? `Telegram${handle} · ${campaign.name}` : `Telegram${handle}${payload ? ` · start=${payload}` : ''}`,
    actorUserId: null,
  });
}

async function attachConversation(
  db: Db, existing: Conversation | undefined, leadId: number, incoming: IncomingCustomerMessage,
): Promise<Conversation> {
  if (existing) {
    return db.updateTable('conversations').set({ lead_id: leadId, updated_at: sql`now()` })
      .where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow();
  }
  const payload = incoming.content.kind === 'start' ? incoming.content.payload : null;
  const campaign = payload ? await findActiveCampaign(db, payload) : undefined;
  return db.insertInto('conversations').values({
    lead_id: leadId,
    telegram_user_id: incoming.telegramUserId,
    telegram_chat_id: incoming.chatId,
    username: incoming.username,
    customer_name: sanitizeText(incoming.fullName, 256) ?? `Telegram ${incoming.telegramUserId}`,
    language: incoming.language,
    campaign_link_id: campaign?.id ?? null,
    start_payload: payload ? payload.slice(0, 64) : null,
  }).returningAll().executeTakeFirstOrThrow();
}

/** The customer is active again: counted (§2 message_count), last activity now; writing means they have not blocked us. */
async function touch(db: Db, conversation: Conversation, lead: Lead, incoming: IncomingCustomerMessage): Promise<void> {
  await db.updateTable('conversations').set({
    last_message_at: sql`now()`, updated_at: sql`now()`, blocked_at: null,
    username: incoming.username, customer_name: sanitizeText(incoming.fullName, 256) ?? conversation.customer_name,
  }).where('id', '=', conversation.id).execute();
  const counted = !UNCOUNTED_KINDS.includes(incoming.content.kind);
  await db.updateTable('leads').set({
    message_count: counted ? sql`message_count + 1` : sql`message_count`,
    last_activity_at: sql`now()`, updated_at: sql`now()`,
  }).where('id', '=', lead.id).execute();
}

/**
 * One notice per burst (§12): the message joins a notice still waiting for
 * this conversation, or starts one that waits NOTICE_MERGE_MS (longer while
 * the customer floods) for the rest of the burst.
 */
async function noticeAssignee(db: Db, p: { lead: Lead; conversation: Conversation; message: ConversationMessage }): Promise<void> {
  const merged = await amendPendingMessages(db, {
    kind: 'customer_messages', leadId: p.lead.id, match: { conversationId: p.conversation.id },
    set: { toMessageId: p.message.id },
  });
  if (merged > 0) return;
  const flooding = (await recentInboundCount(db, p.conversation.id)) > FLOOD_MESSAGES;
  await queueMessage(db, { leadAudience: p.lead }, {
    kind: 'customer_messages', leadId: p.lead.id, conversationId: p.conversation.id,
    fromMessageId: p.message.id, toMessageId: p.message.id,
  }, { delayMs: flooding ? FLOOD_NOTICE_MS : NOTICE_MERGE_MS });
}

/**
 * The bot's own answers (§12): the greeting with the conversation's first
 * message — found in the stored conversation, not by a time window — and
 * the off-hours text once per off-hours period.
 */
async function autoReplies(
  db: Db, p: { conversation: Conversation; lead: Lead; message: ConversationMessage; opts: ReceiveOptions },
): Promise<void> {
  const first = !(await hasEarlierInbound(db, p.conversation.id, p.message.id));
  if (first) await queueBotText(db, p.conversation.id, { template: 'greeting', askPhone: !p.lead.phone });
  const period = offHoursPeriod(p.opts.now, p.opts.hours);
  if (period !== null && p.conversation.off_hours_replied_for !== period) {
    await db.updateTable('conversations').set({ off_hours_replied_for: period }).where('id', '=', p.conversation.id).execute();
    await queueBotText(db, p.conversation.id, { template: 'off_hours' });
  }
}

