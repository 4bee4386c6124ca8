import { defineCallbackData, int } from './codec.js';

// §8 transfer to sales, from a lead card. Each carries the lead version the card showed.

/** 💼 Transfer to sales: check the gates, then ask to confirm (or show what to fix). */
export const transferAskData = defineCallbackData('ta1', { leadId: int, version: int });
/** 👤 Another owner: the picker (managers), page n (0-based). */
export const transferOwnersData = defineCallbackData('to1', { leadId: int, version: int, page: int });
/** ✅ Transfer with this owner (0: the lead's assignee). */
export const transferConfirmData = defineCallbackData('tc1', { leadId: int, version: int, ownerId: int });
/** A person picked as the owner: confirm with them. */
export const transferPickData = defineCallbackData('tp1', { leadId: int, version: int, ownerId: int });
