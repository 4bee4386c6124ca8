import { EDITABLE_LEAD_FIELDS } from '../../core/index.js';
import { defineCallbackData, int, oneOf } from './codec.js';

/** ✏️ Edit: choose a field (carries the version: a stale card must not offer old values). */
export const leadEditData = defineCallbackData('ed1', { leadId: int, version: int });
/** A field to edit: ask for its new value. */
export const leadEditFieldData = defineCallbackData('ef1', { field: oneOf(EDITABLE_LEAD_FIELDS), leadId: int, version: int });
/** 📄 The whole text of a long field (intent, pain points), which the card cuts. */
export const LONG_TEXT_FIELDS = ['intent', 'painPoints'] as const;
export const leadTextData = defineCallbackData('lx1', { field: oneOf(LONG_TEXT_FIELDS), leadId: int });
