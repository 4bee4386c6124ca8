import { EDITABLE_LEAD_FIELDS } from '../../core/leads/lead-fields.service.js';
import { defineCallbackData, int, oneOf } from './codec.js';

// Notes, files and field edits on a lead card (§2, §5). Ids in these
// buttons are never trusted: every handler re-checks rights through core.

/** 🗒 Notes, page n (1-based), shown in place of the card. */
export const leadNotesData = defineCallbackData('np1', { leadId: int, page: int });
/** 📎 Files, page n (1-based), shown in place of the card. */
export const leadFilesData = defineCallbackData('fp1', { leadId: int, page: int });
/** One file of the list: the bot sends it again by its Telegram file id. */
export const leadFileSendData = defineCallbackData('fs1', { attachmentId: int });
/** 📎 Attach: wait for a document or photo. */
export const leadAttachData = defineCallbackData('fa1', { leadId: int });
/** ✏️ Edit: choose a field (carries the version: a stale card must not offer old values). */
export const leadEditData = defineCallbackData('ed1', { leadId: int, version: int });
/** A field to edit: ask for its new value. */
export const leadEditFieldData = defineCallbackData('ef1', { field: oneOf(EDITABLE_LEAD_FIELDS), leadId: int, version: int });
