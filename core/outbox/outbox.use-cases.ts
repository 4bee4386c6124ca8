import type { CoreContext } from '../core-context.js';
import type { Notification, User } from '../database.js';
import { NotFoundError } from '../errors.js';
import { getLead, getLeadOwnership } from '../leads/lead.repository.js';
import { getUser } from '../users/user.service.js';
import { parseOutboxMessage } from './outbox.messages.js';
import {
  claimDueMessages, deferChat, markMessageFailed, markMessageSent, nextDueAt, releaseClaims, renewLeases,
  rescheduleMessage,
} from './outbox.repository.js';
import { listFailedMessages, outboxCounts, retryFailedMessages } from './outbox.service.js';
import { recordCustomerDelivery } from '../conversations/conversation-outbound.service.js';
import { inTransaction } from '../transaction.js';
import { recordReminderDelivery } from '../reminders/reminder-delivery.service.js';

/** Subscribes to a PostgreSQL NOTIFY channel; resolves to an unsubscribe function. */
export type ListenFn = (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;

/** The channel the notifications table's trigger NOTIFYs on every insert and status change. */
export const OUTBOX_CHANNEL = 'crm_outbox';
const HOUR_MS = 3_600_000;

/**
 * The outbox (house style rule 20) as the delivery worker (bot/outbox) and
 * admins use it. Delivery is an edge: it renders and sends; core decides
 * what is due, who holds it, when it is retried and when it gives up.
 */
export function outboxUseCases(ctx: CoreContext, listen: ListenFn | undefined) {
  const { db, config, now } = ctx;
  const maxAgeMs = config.OUTBOX_MAX_AGE_HOURS * HOUR_MS;
  return {
    /** Due rows for a delivery pass (by core's clock too); see claimDueMessages. */
    claim: (p: { limit: number; leaseMs: number; token: string }) => claimDueMessages(db, { ...p, now: now() }),
    renew: (p: { ids: readonly number[]; token: string; leaseMs: number }) => renewLeases(db, p),
    /** Telegram took it; a message to a customer is marked sent in their conversation too (§12). */
    markSent: (id: number, telegramMessageId: number) => inTransaction(db, async (trx) => {
      const row = await markMessageSent(trx, id, telegramMessageId);
      if (row) await recordCustomerDelivery(trx, row, { sent: true, telegramMessageId });
      if (row) await recordReminderDelivery(trx, { ...row, id }, { sent: true });
    }),
    /** Again in delayMs, or failed once it has waited OUTBOX_MAX_AGE_HOURS. */
    reschedule: (p: { id: number; token: string; error: string; delayMs: number; attemptRefunded?: boolean }) => inTransaction(db, async (trx) => {
      const status = await rescheduleMessage(trx, { ...p, maxAgeMs });
      if (status === 'failed') {
        const row = await trx.selectFrom('notifications').select(['kind', 'payload']).where('id', '=', p.id).executeTakeFirst();
        if (row) await recordCustomerDelivery(trx, row, { sent: false, error: p.error });
        if (row) await recordReminderDelivery(trx, { ...row, id: p.id }, { sent: false, reason: 'retries' });
      }
      return status;
    }),
    deferChat: (p: { chatId: number; delayMs: number }) => deferChat(db, p),
    /**
     * Cannot be delivered (httpStatus: Telegram's error code, if it answered
     * one). A message to a customer is marked failed in the conversation; a
     * 403 means they blocked the bot, and the staff member who wrote it is told.
     */
    markFailed: (p: { id: number; token: string; error: string; httpStatus?: number | undefined }) => inTransaction(db, async (trx) => {
      const row = await markMessageFailed(trx, p);
      if (row) await recordCustomerDelivery(trx, row, { sent: false, error: p.error, httpStatus: p.httpStatus });
      if (row) await recordReminderDelivery(trx, { ...row, id: p.id }, { sent: false, reason: 'refused' });
    }),
    release: (p: { ids: readonly number[]; token: string }) => releaseClaims(db, p),
    nextDueAt: () => nextDueAt(db),
    /** The typed message of a row; null when the row no longer fits the schema (never delivered). */
    messageOf: (row: Notification) => parseOutboxMessage(row.kind, row.payload),
    /** The user a row is for (their language and rights), or null for a chat that is not a user's (a customer's, §12). Throws NotFoundError. */
    recipientOf: async (row: Notification): Promise<User | null> =>
      row.recipient_user_id === null ? null : getUser(db, row.recipient_user_id),
    /**
     * Someone a message names (who reassigned a lead, who asks for access),
     * as the renderer needs them; null when they no longer exist.
     */
    person: (userId: number): Promise<User | null> => getUser(db, userId).catch(notFoundAsNull),
    /** Who holds a lead now, for a notice to someone who may no longer see it; null when it is gone or deleted. */
    leadHolder: async (leadId: number): Promise<{ assignedTo: number | null } | null> => {
      const lead = await getLead(db, leadId).catch(notFoundAsNull);
      return lead ? { assignedTo: lead.assigned_to } : null;
    },
    /**
     * Who holds a lead and whether it is deleted, for a lead_changed notice
     * (its changes may include the delete); null when there is no such lead.
     */
    leadState: (leadId: number) => getLeadOwnership(db, leadId),
    /**
     * Calls `onQueued` whenever a commit queued messages (or an admin retried
     * some), on every instance: the table's trigger NOTIFYs at commit.
     * Without LISTEN (none given) the delivery worker's poll is the only wake-up.
     */
    onQueued: async (onQueued: () => void) => (listen ? listen(OUTBOX_CHANNEL, onQueued) : async () => {}),

    /** Admins: counts by status. Throws ForbiddenError. */
    counts: (viewer: User) => outboxCounts(db, viewer),
    /** Admins: failed messages, newest failure first. Throws ForbiddenError. */
    listFailed: (viewer: User, page: { limit: number; offset: number }) => listFailedMessages(db, viewer, page),
    /** Admins: send one failed message again, or all of them. Throws ForbiddenError, NotFoundError. */
    retry: (viewer: User, which: { id: number } | 'all') => retryFailedMessages(db, viewer, which),
  };
}

function notFoundAsNull(err: unknown): null {
  if (err instanceof NotFoundError) return null;
  throw err;
}
