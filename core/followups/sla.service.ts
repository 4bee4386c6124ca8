import type { Kysely } from 'kysely';
import type { TeamHours } from '../conversations/working-hours.rules.js';
import type { Database } from '../database.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { addWorkingTime } from './working-time.rules.js';

export interface SlaOptions {
  /** FIRST_CONTACT_SLA_MINUTES (working minutes); 0: off. */
  slaMinutes: number;
  hours: TeamHours;
  now: Date;
  /** Leads looked at per run at most (the oldest first). */
  limit?: number;
}

export interface SlaAlertResult { leadId: number; userId: number }

export const slaPeriod = (leadId: number) => `sla:${leadId}`;

/**
 * Speed-to-lead (issue 11): a NEW lead, assigned, live, that nobody has
 * contacted (first_contacted_at null) FIRST_CONTACT_SLA_MINUTES of working
 * time after it came, alerts its owner with the card — the ladder's first
 * rung for cause 'sla': a lead_escalations row (unique per lead, so never
 * twice, however many runs or instances), an ESCALATED history row
 * {cause: 'sla', rung: 1, minutes} and an 'sla_breach' message, in one
 * transaction under the lead's row lock. Returns the alerts raised.
 */
export async function raiseSlaAlerts(db: Kysely<Database>, o: SlaOptions): Promise<SlaAlertResult[]> {
  if (o.slaMinutes <= 0) return [];
  // Working time is never shorter than wall time, so this bound only narrows the candidates.
  const bound = new Date(o.now.getTime() - o.slaMinutes * 60_000);
  const candidates = await db.selectFrom('leads as l').select(['l.id', 'l.created_at'])
    .where('l.stage', '=', 'NEW').where('l.assigned_to', 'is not', null).where('l.is_deleted', '=', false)
    .where('l.first_contacted_at', 'is', null).where('l.created_at', '<', bound)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('lead_escalations as e').select('e.id')
      .whereRef('e.lead_id', '=', 'l.id').where('e.rung', '=', 1).where('e.cause', '=', 'sla'))))
    .orderBy('l.created_at').limit(o.limit ?? 500).execute();
  const results: SlaAlertResult[] = [];
  for (const c of candidates) {
    if (addWorkingTime(c.created_at, o.slaMinutes, o.hours) > o.now) continue;
    const result = await db.transaction().execute(async (trx) => {
      const lead = await trx.selectFrom('leads').select(['id', 'assigned_to', 'stage', 'first_contacted_at', 'is_deleted'])
        .where('id', '=', c.id).forUpdate().executeTakeFirst();
      if (!lead || lead.assigned_to === null || lead.stage !== 'NEW' || lead.first_contacted_at || lead.is_deleted) return null;
      const row = await trx.insertInto('lead_escalations')
        .values({ lead_id: lead.id, cause: 'sla', period: slaPeriod(lead.id), rung: 1, owner_id: lead.assigned_to, created_at: o.now })
        .onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
      if (!row) return null;
      await recordHistory(trx, {
        lead_id: lead.id, action: 'ESCALATED', actor_user_id: null,
        details: { cause: 'sla', rung: 1, minutes: o.slaMinutes }, created_at: o.now,
      });
      await queueMessage(trx, { user: lead.assigned_to }, { kind: 'sla_breach', leadId: lead.id, minutes: o.slaMinutes });
      return { leadId: lead.id, userId: lead.assigned_to };
    }).catch(() => null); // One lead's failure never stops the run; the next run tries it again.
    if (result) results.push(result);
  }
  return results;
}
