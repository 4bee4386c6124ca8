import { sql } from 'kysely';
import { assertActive, assertCan } from '../access/access-policy.js';
import { parseDaysOff, parseSchedule, type TeamHours } from '../conversations/working-hours.rules.js';
import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { ValidationError } from '../errors.js';
import { getLead } from '../leads/lead.repository.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { digestFor } from './digest.query.js';
import { queueDigests } from './digest.service.js';
import { climbLadder } from './escalation.service.js';
import { assignWaitingLeads } from './pickup.service.js';
import { raiseSlaAlerts } from './sla.service.js';
import { minutesOfClock } from './working-time.rules.js';

/** The team's working time, for SLA and ladder clocks (the §12 settings). */
export function teamHoursOf(config: CoreContext['config']): TeamHours {
  return { schedule: parseSchedule(config.WORKING_HOURS), timeZone: config.TEAM_TIMEZONE, daysOff: parseDaysOff(config.DAYS_OFF) };
}

/**
 * Follow-ups (issue 11): speed-to-lead, the escalation ladder, waiting
 * leads picked up, the daily digest. `run` is the scheduled job's one call.
 */
export function followupUseCases(ctx: CoreContext) {
  const { db, config, now } = ctx;
  const hours = teamHoursOf(config);
  const zoneOf = (u: { timezone: string | null }) => u.timezone ?? config.TEAM_TIMEZONE;
  return {
    /**
     * One run of the follow-ups job: waiting leads to whoever has room, SLA
     * alerts, one rung of the ladder where due, the digests due now. Each
     * part re-checks under row locks, so overlapping runs and instances
     * never repeat anything. Returns what each part did.
     */
    run: async (at: Date = now()) => {
      const pickedUp = await assignWaitingLeads(db);
      const sla = await raiseSlaAlerts(db, { slaMinutes: config.FIRST_CONTACT_SLA_MINUTES, hours, now: at });
      const ladder = await climbLadder(db, {
        afterHours: config.ESCALATE_AFTER_HOURS, reassignAfterHours: config.ESCALATE_REASSIGN_AFTER_HOURS, hours, now: at,
      });
      const digests = await queueDigests(db, { now: at, hours, defaultMinutes: minutesOfClock(config.DIGEST_TIME), zoneOf });
      return { pickedUp, sla, ladder, digests };
    },
    /** Gives waiting unassigned leads to whoever has room now (§4). See assignWaitingLeads. */
    assignWaitingLeads: () => assignWaitingLeads(db),
    /** The digest of `viewer` as of now (/digest, and a digest message at delivery). */
    digest: (viewer: User) => {
      assertActive(viewer);
      return digestFor(db, viewer, { now: now(), timeZone: zoneOf(viewer), staleAfterDays: config.STALE_AFTER_DAYS });
    },
    /**
     * /settings: the viewer's digest on or off, and its local time
     * (minutes since midnight; null: DIGEST_TIME). Throws ValidationError('digest_minutes').
     */
    setDigest: async (viewer: User, p: { enabled: boolean; minutes?: number | null }): Promise<User> => {
      assertActive(viewer);
      if (p.minutes !== undefined && p.minutes !== null && !(Number.isInteger(p.minutes) && p.minutes >= 0 && p.minutes < 1440)) {
        throw new ValidationError('digest_minutes', 'not a time of day');
      }
      return db.updateTable('users')
        .set({ digest_enabled: p.enabled, ...(p.minutes !== undefined ? { digest_minutes: p.minutes } : {}), updated_at: sql`now()` })
        .where('id', '=', viewer.id).returningAll().executeTakeFirstOrThrow();
    },
    /** DIGEST_TIME in minutes: what a user's digest time is when they did not move it. */
    defaultDigestMinutes: () => minutesOfClock(config.DIGEST_TIME),
    /**
     * 🔔 Ping owner (the ladder's rung 2): a manager nudges the lead's owner,
     * who gets the card. Throws ForbiddenError, NotFoundError('lead'),
     * ValidationError('lead') when nobody owns it.
     */
    pingOwner: (viewer: User, leadId: number) => inTransaction(db, async (trx) => {
      assertCan(viewer, 'leads.reassign');
      const lead = await getLead(trx, leadId);
      if (lead.assigned_to === null) throw new ValidationError('lead', 'has no owner');
      await queueMessage(trx, { user: lead.assigned_to }, { kind: 'owner_pinged', leadId, byUserId: viewer.id });
      return { ownerId: lead.assigned_to };
    }),
  };
}
