import { sql } from 'kysely';
import { assertActive, assertCanViewLead } from '../access/access-policy.js';
import type { Db, Reminder, ReminderStatus, User } from '../database.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { getLead } from '../leads/lead.repository.js';
import { sanitizeText } from '../leads/lead.sanitize.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';

/** §10: a reminder's delivery is tried at most this many times (network, 429, 5xx), then it is failed. */
export const REMINDER_MAX_ATTEMPTS = 3;
export const REMINDER_TEXT_LIMIT = 500;
/** How far ahead a reminder may be set. */
const MAX_AHEAD_MS = 366 * 86_400_000;

/** A reminder as /reminders lists it: with the lead's name for the row. */
export type ReminderItem = Pick<Reminder, 'id' | 'lead_id' | 'due_at' | 'body' | 'status' | 'failure'> & { lead_name: string | null };

function checkDue(dueAt: Date, now: Date): void {
  if (Number.isNaN(dueAt.getTime())) throw new ValidationError('due_at', 'not a time');
  if (dueAt.getTime() <= now.getTime()) throw new ValidationError('due_at', 'in the past');
  if (dueAt.getTime() - now.getTime() > MAX_AHEAD_MS) throw new ValidationError('due_at', 'more than a year ahead');
}

/** Queues the reminder's delivery at its time (outbox, capped at 3 attempts) and links it. */
async function queueDelivery(trx: Db, reminder: Pick<Reminder, 'id' | 'lead_id' | 'user_id' | 'due_at'>): Promise<void> {
  const [notificationId] = await queueMessage(trx, { user: reminder.user_id },
    { kind: 'reminder', reminderId: reminder.id, leadId: reminder.lead_id },
    { at: reminder.due_at, maxAttempts: REMINDER_MAX_ATTEMPTS });
  await trx.updateTable('reminders').set({ notification_id: notificationId ?? null }).where('id', '=', reminder.id).execute();
}

/** Takes back a delivery that has not started (a row being sent right now cannot be, and goes out). */
async function withdrawDelivery(trx: Db, notificationId: number | null): Promise<void> {
  if (notificationId === null) return;
  await trx.deleteFrom('notifications').where('id', '=', notificationId).where('status', '=', 'pending').execute();
}

/**
 * Sets a reminder on a lead for `viewer` (§10), due at `dueAt`, with an
 * optional text (sanitized, ≤ 500 characters). Its message is queued in the
 * outbox in the same transaction, due at that time, so it survives restarts.
 * Throws NotFoundError('lead'), ForbiddenError (not the viewer's lead),
 * ValidationError('due_at') for a time in the past or over a year ahead.
 */
export async function createReminder(
  db: Db, viewer: User, p: { leadId: number; dueAt: Date; body?: string | null; now: Date },
): Promise<Reminder> {
  assertActive(viewer);
  checkDue(p.dueAt, p.now);
  const body = sanitizeText(p.body ?? null, REMINDER_TEXT_LIMIT);
  return inTransaction(db, async (trx) => {
    assertCanViewLead(viewer, await getLead(trx, p.leadId));
    const reminder = await trx.insertInto('reminders')
      .values({ lead_id: p.leadId, user_id: viewer.id, due_at: p.dueAt, body })
      .returningAll().executeTakeFirstOrThrow();
    await queueDelivery(trx, reminder);
    return reminder;
  });
}

/** The viewer's own reminder, locked. Throws NotFoundError('reminder'), ForbiddenError. */
async function lockOwn(trx: Db, viewer: User, reminderId: number): Promise<Reminder> {
  assertActive(viewer);
  const reminder = await trx.selectFrom('reminders').selectAll().where('id', '=', reminderId).forUpdate().executeTakeFirst();
  if (!reminder) throw new NotFoundError('reminder', reminderId);
  if (reminder.user_id !== viewer.id) throw new ForbiddenError('This reminder is not yours');
  return reminder;
}

/**
 * Moves a reminder to `dueAt` (§10: /reminders, or ⏰ +1 h / ⏰ Tomorrow on
 * a delivered one): scheduled again, whatever it was, its old delivery
 * withdrawn if it had not started. Throws NotFoundError, ForbiddenError,
 * ValidationError('due_at').
 */
export async function rescheduleReminder(
  db: Db, viewer: User, p: { reminderId: number; dueAt: Date; now: Date },
): Promise<Reminder> {
  checkDue(p.dueAt, p.now);
  return inTransaction(db, async (trx) => {
    const reminder = await lockOwn(trx, viewer, p.reminderId);
    await withdrawDelivery(trx, reminder.notification_id);
    const updated = await trx.updateTable('reminders')
      .set({ due_at: p.dueAt, status: 'scheduled', failure: null, notification_id: null, updated_at: sql`now()` })
      .where('id', '=', reminder.id).returningAll().executeTakeFirstOrThrow();
    await queueDelivery(trx, updated);
    return updated;
  });
}

/**
 * ✖ Cancel (a waiting one) or ✅ Done (a delivered one): the reminder ends
 * and a delivery not yet started is withdrawn. Idempotent for a reminder
 * already ended. Throws NotFoundError, ForbiddenError.
 */
export async function endReminder(
  db: Db, viewer: User, p: { reminderId: number; as: Extract<ReminderStatus, 'done' | 'cancelled'> },
): Promise<Reminder> {
  return inTransaction(db, async (trx) => {
    const reminder = await lockOwn(trx, viewer, p.reminderId);
    if (reminder.status === 'done' || reminder.status === 'cancelled') return reminder;
    await withdrawDelivery(trx, reminder.notification_id);
    return trx.updateTable('reminders').set({ status: p.as, updated_at: sql`now()` })
      .where('id', '=', reminder.id).returningAll().executeTakeFirstOrThrow();
  });
}

/**
 * /reminders (§10): the viewer's waiting and failed reminders, soonest
 * first, at most `limit` (1–50), with the lead's name.
 */
export async function listReminders(db: Db, viewer: User, limit = 20): Promise<ReminderItem[]> {
  assertActive(viewer);
  return db.selectFrom('reminders as r').innerJoin('leads as l', 'l.id', 'r.lead_id')
    .select(['r.id', 'r.lead_id', 'r.due_at', 'r.body', 'r.status', 'r.failure', 'l.full_name as lead_name'])
    .where('r.user_id', '=', viewer.id).where('r.status', 'in', ['scheduled', 'failed']).where('l.is_deleted', '=', false)
    .orderBy('r.due_at').orderBy('r.id').limit(Math.min(Math.max(limit, 1), 50)).execute();
}

/** One reminder of the viewer's (its delivery renders it). Throws NotFoundError, ForbiddenError. */
export async function getReminder(db: Db, viewer: User, reminderId: number): Promise<Reminder> {
  const reminder = await db.selectFrom('reminders').selectAll().where('id', '=', reminderId).executeTakeFirst();
  if (!reminder) throw new NotFoundError('reminder', reminderId);
  if (reminder.user_id !== viewer.id) throw new ForbiddenError('This reminder is not yours');
  return reminder;
}
