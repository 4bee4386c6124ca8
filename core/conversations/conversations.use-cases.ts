import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import type { Language } from '../users/user.constants.js';
import { createCampaignLink, disableCampaignLink, listCampaignLinks, type NewCampaignLink } from './campaign-link.service.js';
import { channelText, listChannelTexts, setChannelText } from './channel-text.service.js';
import type { ChannelTextKey } from './conversation.constants.js';
import { askCustomerForPhone, outgoingMessage, replyToCustomer } from './conversation-outbound.service.js';
import {
  conversationPage, firstMessageOf, inboxFor, leadOfDeliveredMessage, messageFor, noticeMessages,
} from './conversation.query.js';
import type { ReplyContent } from './conversation.rules.js';
import { receiveCustomerMessage, type IncomingCustomerMessage } from './conversation.service.js';
import { isWorkingTime, parseDaysOff, parseSchedule, type TeamHours } from './working-hours.rules.js';

/** The team's hours from the settings (validated when the config was parsed). */
export function teamHoursFrom(config: CoreContext['config']): TeamHours {
  return {
    schedule: parseSchedule(config.WORKING_HOURS), timeZone: config.TEAM_TIMEZONE, daysOff: parseDaysOff(config.DAYS_OFF),
  };
}

// A concurrent transaction took what this one was about to write (a lead's phone, a conversation): run it again.
const RETRYABLE = new Set(['23505', '40001', '40P01']);
async function onceMoreOnConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!RETRYABLE.has(String((err as { code?: unknown }).code))) throw err;
    return fn();
  }
}

/**
 * Customers who write to the bot (§12): their messages in, staff replies
 * out (always through the outbox, to the customer's chat), the inbox and
 * each conversation a page at a time. Reads take the viewer and check the
 * right to the lead.
 */
export function conversationUseCases(ctx: CoreContext) {
  const { db, config } = ctx;
  const hours = teamHoursFrom(config);
  return {
    /** A customer's message; see receiveCustomerMessage. Idempotent per Telegram message id. */
    receive: (incoming: IncomingCustomerMessage) => onceMoreOnConflict(() => receiveCustomerMessage(db, incoming, {
      hours, now: ctx.now(), ...(config.DEFAULT_COUNTRY ? { defaultCountry: config.DEFAULT_COUNTRY } : {}),
    })),
    /** 💬 Reply: text or a file by id, to the lead's customer. Throws NotFoundError, ForbiddenError, ValidationError('reply'). */
    reply: (viewer: User, p: { leadId: number; content: ReplyContent }) => replyToCustomer(db, viewer, p),
    /** 📱 Ask the customer to share their phone. Throws NotFoundError, ForbiddenError. */
    askPhone: (viewer: User, leadId: number) => askCustomerForPhone(db, viewer, leadId),
    /** /inbox, newest first, one query a page. */
    inbox: (viewer: User, p: { cursor?: string | null; limit?: number } = {}) => inboxFor(db, viewer, p),
    /** A conversation a page at a time (limit default 100, at most 500). */
    page: (viewer: User, leadId: number, p: { cursor?: string | null; limit?: number } = {}) => conversationPage(db, viewer, leadId, p),
    /** The messages a notice is about. */
    notice: (viewer: User, p: { leadId: number; conversationId: number; fromMessageId: number; toMessageId: number; limit: number }) =>
      noticeMessages(db, viewer, p),
    /** What the customer of a lead wrote first (the new-lead card); null without a conversation. */
    firstMessage: (viewer: User, leadId: number) => firstMessageOf(db, viewer, leadId),
    /** One message the viewer may see (its file is sent again by id). */
    message: (viewer: User, messageId: number) => messageFor(db, viewer, messageId),
    /** The lead of a notice the viewer answered with Telegram's "reply", if it was one. */
    leadOfReply: (viewer: User, telegramMessageId: number) => leadOfDeliveredMessage(db, viewer, telegramMessageId),
    /** For delivery: a message to a customer and its conversation. */
    outgoing: (messageId: number) => outgoingMessage(db, messageId),
    /** For delivery: the admin's version of a bot text, or null for the default. */
    botText: (key: ChannelTextKey, language: Language) => channelText(db, key, language),
    /** Whether the team works now (§12). */
    isWorkingTime: () => isWorkingTime(ctx.now(), hours),
  };
}

/** Admins' settings of the customer channel (§12): campaign deep links and the bot's own texts. */
export function channelUseCases({ db }: CoreContext) {
  return {
    createCampaign: (viewer: User, p: NewCampaignLink) => createCampaignLink(db, viewer, p),
    listCampaigns: (viewer: User) => listCampaignLinks(db, viewer),
    disableCampaign: (viewer: User, id: number) => disableCampaignLink(db, viewer, id),
    listTexts: (viewer: User) => listChannelTexts(db, viewer),
    /** null restores the default. */
    setText: (viewer: User, p: { key: ChannelTextKey; language: Language; body: string | null }) => setChannelText(db, viewer, p),
  };
}
