import { defineCallbackData, int } from './codec.js';

// Notes of a lead (§5). Ids in these buttons are never trusted: every
// handler re-checks rights through core.

/** 📝 Note: ask for the note text. */
export const noteAddData = defineCallbackData('ln1', { leadId: int });
/** 🗒 Notes, page n (1-based), shown in place of the card. */
export const notesPageData = defineCallbackData('np1', { leadId: int, page: int });
/** One note in full (the list and the card show only its start). */
export const noteOpenData = defineCallbackData('no1', { noteId: int });
