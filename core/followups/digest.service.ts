import type { Kysely } from 'kysely';
import { localTime, type TeamHours } from '../conversations/working-hours.rules.js';
import type { Database } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { hasWorkingTime } from './working-time.rules.js';

/** A digest comes at its time or, after downtime, up to this much later; never at an odd hour past that. */
export const DIGEST_WINDOW_MINUTES = 180;

export interface DigestRunOptions {
  now: Date;
  hours: TeamHours;
  /** DIGEST_TIME, minutes since local midnight, for those who did not move theirs. */
  defaultMinutes: number;
  /** A user's zone (theirs, else the team's). */
  zoneOf: (user: { timezone: string | null }) => string;
}

/**
 * Queues the daily digests due now (issue 11): every active user with the
 * digest on, whose local time has reached their digest time (within the
 * window) on a working day — a weekday the team works (WORKING_HOURS; every
 * day when it is `none`) that is not a day off. One per person and local
 * date: the digests row is inserted with its message (ON CONFLICT DO
 * NOTHING), so runs and instances at once never send two. Returns the users.
 */
export async function queueDigests(db: Kysely<Database>, o: DigestRunOptions): Promise<number[]> {
  const users = await db.selectFrom('users').select(['id', 'timezone', 'digest_minutes'])
    .where('status', '=', 'active').where('digest_enabled', '=', true).execute();
  const queued: number[] = [];
  for (const user of users) {
    const local = localTime(o.now, o.zoneOf(user));
    const at = user.digest_minutes ?? o.defaultMinutes;
    if (local.minutes < at || local.minutes >= at + DIGEST_WINDOW_MINUTES) continue;
    const workingDay = !o.hours.daysOff.has(local.date)
      && (!hasWorkingTime(o.hours) || o.hours.schedule[local.weekday]!.length > 0);
    if (!workingDay) continue;
    const inserted = await db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('digests').values({ user_id: user.id, local_date: local.date })
        .onConflict((oc) => oc.doNothing()).returning('user_id').executeTakeFirst();
      if (row) await queueMessage(trx, { user: user.id }, { kind: 'digest', date: local.date });
      return Boolean(row);
    });
    if (inserted) queued.push(user.id);
  }
  return queued;
}
