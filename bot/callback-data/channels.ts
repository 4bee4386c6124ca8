import { CHANNEL_TEXT_KEYS, LANGUAGES, ROLES, type LeadSource } from '../../core/index.js';
import { defineCallbackData, int, oneOf, token, type Field } from './codec.js';

// Issue 10's buttons: invites, conversations with customers, /new, campaign links, auto-replies.

/** /invite: the role, then how long the link may stay unused. */
export const inviteRoleData = defineCallbackData('ivr1', { role: oneOf(ROLES) });
export const inviteExpiryData = defineCallbackData('ive1', { role: oneOf(ROLES), hours: int });

/** 💬 Reply to the customer of a lead. */
export const replyData = defineCallbackData('cvr1', { leadId: int });
/** 🗂 A lead's conversation, the page of messages older than `before` (0: the newest); edit 1: in place (paging). */
export const conversationData = defineCallbackData('cvm1', { leadId: int, before: int, edit: int });
/** 📱 Ask the customer to share their phone. */
export const askPhoneData = defineCallbackData('cvp1', { leadId: int });
/** 📎 The file of a conversation message, sent again by its Telegram file id. */
export const messageFileData = defineCallbackData('cvf1', { messageId: int });

/** An /inbox cursor (base64url of time and id) fits in callback data as it is. */
const inboxCursor: Field<string> = {
  parse: (raw) => (/^[A-Za-z0-9_-]{1,56}$/.test(raw) ? raw : null),
  format: (value) => value,
};
/** /inbox, the page after `cursor` ("-": the first). */
export const inboxPageData = defineCallbackData('ibx1', { page: int, cursor: { ...inboxCursor, parse: (raw) => (raw === '-' ? '-' : inboxCursor.parse(raw)) } });

/** The sources a lead typed in with /new can have (§2). */
export const NEW_LEAD_SOURCES = ['MANUAL', 'REFERRAL', 'PARTNER', 'CALLBACK'] as const satisfies readonly LeadSource[];
export const newLeadSourceData = defineCallbackData('nls1', { source: oneOf(NEW_LEAD_SOURCES) });
export const newLeadAssignData = defineCallbackData('nla1', { to: oneOf(['me', 'auto'] as const) });
/** ➕ Create a lead from a contact card (the card waits in the store under `key`). */
export const contactLeadData = defineCallbackData('nlc1', { key: token });

/** /campaigns (admins). */
export const campaignAddData = defineCallbackData('cpa1', {});
export const campaignDisableData = defineCallbackData('cpd1', { id: int });

/** /autoreply (admins): edit one text in one language. */
export const channelTextData = defineCallbackData('cte1', { key: oneOf(CHANNEL_TEXT_KEYS), language: oneOf(LANGUAGES) });
