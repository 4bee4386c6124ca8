import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { ValidationError } from '../errors.js';
import { minutesOfClock } from '../followups/working-time.rules.js';
import { parseReminderInput, presetTime, type ParsedReminder, type ReminderPreset } from './reminder-time.rules.js';
import { createReminder, endReminder, getReminder, listReminders, rescheduleReminder } from './reminder.service.js';

/** When a reminder falls: a preset, or a typed time already read (parse). */
export type ReminderWhen = { preset: ReminderPreset } | { at: Date };

/** §10 follow-up reminders, bound to the clock and each person's zone. */
export function reminderUseCases(ctx: CoreContext) {
  const { db, config, now } = ctx;
  const clockOf = (viewer: User) => ({
    now: now(), timeZone: viewer.timezone ?? config.TEAM_TIMEZONE, morningMinutes: minutesOfClock(config.REMINDER_MORNING),
  });
  const dueOf = (viewer: User, when: ReminderWhen) => ('preset' in when ? presetTime(when.preset, clockOf(viewer)) : when.at);
  return {
    /** Reads a typed time and text in the viewer's language and zone; null when no time is found. */
    parse: (viewer: User, text: string): ParsedReminder | null => parseReminderInput(text, viewer.language, clockOf(viewer)),
    /**
     * Sets a reminder (§10). Throws NotFoundError('lead'), ForbiddenError,
     * ValidationError('due_at') for a past time or one over a year ahead.
     */
    create: (viewer: User, p: { leadId: number; when: ReminderWhen; body?: string | null }) =>
      createReminder(db, viewer, { leadId: p.leadId, dueAt: dueOf(viewer, p.when), body: p.body ?? null, now: now() }),
    /** Moves one of the viewer's reminders (/reminders, ⏰ +1 h, ⏰ Tomorrow). Throws as create, NotFoundError('reminder'). */
    reschedule: (viewer: User, reminderId: number, when: ReminderWhen) =>
      rescheduleReminder(db, viewer, { reminderId, dueAt: dueOf(viewer, when), now: now() }),
    cancel: (viewer: User, reminderId: number) => endReminder(db, viewer, { reminderId, as: 'cancelled' }),
    done: (viewer: User, reminderId: number) => endReminder(db, viewer, { reminderId, as: 'done' }),
    list: (viewer: User) => listReminders(db, viewer),
    get: (viewer: User, reminderId: number) => getReminder(db, viewer, reminderId),
    /** A typed time, read and checked: throws ValidationError('due_at') when it says no time. */
    parseOrThrow: (viewer: User, text: string): ParsedReminder => {
      const parsed = parseReminderInput(text, viewer.language, clockOf(viewer));
      if (!parsed) throw new ValidationError('due_at', 'no time found');
      return parsed;
    },
  };
}
