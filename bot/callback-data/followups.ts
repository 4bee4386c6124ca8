import { REMINDER_PRESETS } from '../../core/index.js';
import { defineCallbackData, int, oneOf } from './codec.js';

/** ⏰ Remind on a card: the time choices in place of its buttons. */
export const remindMenuData = defineCallbackData('rm1', { leadId: int });
/** A preset on that menu: sets the reminder. */
export const remindPresetData = defineCallbackData('rp1', { leadId: int, preset: oneOf(REMINDER_PRESETS) });
/** ✍️ Type a time… on that menu. */
export const remindTypeData = defineCallbackData('rt1', { leadId: int });
/** On a delivered reminder: ✅ Done. */
export const reminderDoneData = defineCallbackData('rd1', { reminderId: int });
/** On a delivered reminder (+1 h, tomorrow) or on /reminders' move menu: moves it. */
export const reminderMoveToData = defineCallbackData('rmt1', {
  reminderId: int, preset: oneOf(REMINDER_PRESETS), from: oneOf(['due', 'list'] as const),
});
/** 🕐 on /reminders: the time choices for one reminder. */
export const reminderMoveData = defineCallbackData('rv1', { reminderId: int });
/** ✍️ Type a time… for moving one. */
export const reminderMoveTypeData = defineCallbackData('rvt1', { reminderId: int });
/** ✖ on /reminders. */
export const reminderCancelData = defineCallbackData('rmc1', { reminderId: int });
/** /reminders again (back from a move menu). */
export const remindersListData = defineCallbackData('rl1', {});
/** 🔔 Ping owner, on a rung-2 escalation. */
export const pingOwnerData = defineCallbackData('po1', { leadId: int });
