import { defineCallbackData, int, token, type Field } from './codec.js';

/** A /deleted keyset cursor (base64url, ≤ 44 characters); '' is the first page. */
const pageCursor: Field<string> = {
  parse: (raw) => (/^[A-Za-z0-9_-]{0,44}$/.test(raw) ? raw : null),
  format: (value) => value,
};

// Changes carry the version the card showed (§3), so a stale menu cannot act.

/** 👤 Reassign: the menu of people, page n (0-based). */
export const reassignMenuData = defineCallbackData('rao1', { leadId: int, version: int, page: int });
/** A person in the menu: reassign the lead to them. */
export const reassignPickData = defineCallbackData('rap1', { leadId: int, version: int, userId: int });
/** 🗑 Delete: ask to confirm (admins). */
export const deleteAskData = defineCallbackData('dla1', { leadId: int, version: int });
/** ✅ on the delete confirmation. */
export const deleteConfirmData = defineCallbackData('dlc1', { leadId: int, version: int });
/** Page n (1-based) of /deleted, starting after `cursor`. */
export const deletedPageData = defineCallbackData('dls1', { page: int, cursor: pageCursor });
/** ♻️ Restore a deleted lead (admins). */
export const restoreData = defineCallbackData('rst1', { leadId: int });
/** ↩️ Undo: the token of the undo record in the store (30 s). */
export const undoData = defineCallbackData('und1', { token });
