import { defineCallbackData, int } from './codec.js';

// Attachments of a lead (§5). Ids in these buttons are never trusted:
// every handler re-checks rights through core.

/** 📎 Attach: wait for a document or photo. */
export const attachmentAddData = defineCallbackData('fa1', { leadId: int });
/** 📎 Files, page n (1-based), shown in place of the card. */
export const attachmentsPageData = defineCallbackData('fp1', { leadId: int, page: int });
/** One attachment of the list: the bot sends it again by its Telegram file id. */
export const attachmentSendData = defineCallbackData('fs1', { attachmentId: int });
