import { FORM_PROVIDERS, LANGUAGES } from '../../core/index.js';
import { defineCallbackData, int, oneOf, token } from './codec.js';

export const languageData = defineCallbackData('lg1', { language: oneOf(LANGUAGES) });

/**
 * A page of /leads. Keyset cursors can be longer than callback data allows,
 * so the button carries a short key of the page state kept in the store.
 */
export const leadsPageData = defineCallbackData('lp1', { key: token });
/** A lead on a /leads page: its card takes the list's place in the same message. */
export const leadFromListData = defineCallbackData('lq1', { leadId: int, key: token });
/** 📋 on a card opened from a list: back to that list page, in the same message. */
export const leadsBackData = defineCallbackData('lbk1', { key: token });

export const sourceAddData = defineCallbackData('sa1', {});
export const sourceProviderData = defineCallbackData('sp1', { provider: oneOf(FORM_PROVIDERS) });
export const sourceDisableData = defineCallbackData('sd1', { sourceId: int });
/** §11: replay a submission set aside after failing (admins). */
export const intakeReplayData = defineCallbackData('ir1', { submissionId: int });
