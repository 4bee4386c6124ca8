import { sql, type Kysely } from 'kysely';
import type { TeamHours } from '../conversations/working-hours.rules.js';
import type { Database, Db, EscalationCause } from '../database.js';
import { pickAssignee } from '../leads/assignment.service.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import { STALE_STAGES } from '../leads/stale-leads.service.js';
import { withdrawLeadChangeNotice } from '../notices/lead-change-notice.service.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { addWorkingTime } from './working-time.rules.js';

export interface LadderOptions {
  /** ESCALATE_AFTER_HOURS: rung 2 (managers) this long after the owner's alert; 0: off. */
  afterHours: number;
  /** ESCALATE_REASSIGN_AFTER_HOURS: rung 3 (reassigned) this long after rung 2 (or rung 1 when rung 2 is off); 0: off. */
  reassignAfterHours: number;
  hours: TeamHours;
  now: Date;
}

export interface LadderResult { leadId: number; cause: EscalationCause; rung: 2 | 3; toUserId?: number }

/** The rung a lead stands on, for one period, while it is still left alone. */
interface Anchor { leadId: number; cause: EscalationCause; period: string; ownerId: number; at: Date }

/**
 * Rungs below `rung` that a lead still untouched stands on: the owner's alert
 * (rung 1: the SLA alert, or the §10 stale alert — the lead's latest) or the
 * managers' (rung 2), with no `rung` yet for that period. "Untouched": a SLA
 * lead is still NEW, uncontacted and the same owner's; a stale lead still in
 * CONTACTED/QUALIFIED, the same owner's, with last_activity_at exactly as the
 * alert found it (any activity since moves it). `leadId`: one lead (the re-check under its lock).
 */
async function anchors(db: Db, from: 1 | 2, rung: 2 | 3, olderThan: Date, leadId?: number): Promise<Anchor[]> {
  const untouched = sql<boolean>`l.is_deleted = false and l.assigned_to = a.owner_id and case a.cause
    when 'sla' then l.stage = 'NEW' and l.first_contacted_at is null
    else l.stage in (${sql.join(STALE_STAGES)}) and l.last_activity_at = sa.stale_since end`;
  const climbed = sql<boolean>`exists (select 1 from lead_escalations x
    where x.lead_id = a.lead_id and x.period = a.period and x.rung = ${rung})`;
  const oneLead = leadId === undefined ? sql`true` : sql`a.lead_id = ${leadId}`;
  const base = from === 1
    ? sql`select e.lead_id, e.cause, e.period, e.owner_id, e.created_at as at from lead_escalations e
          where e.rung = 1 and e.cause = 'sla' and e.owner_id is not null
        union all
        select s.lead_id, 'stale', 'stale:' || s.id, s.user_id, s.created_at from stale_alerts s
          where not exists (select 1 from stale_alerts s2 where s2.lead_id = s.lead_id and s2.id > s.id)`
    : sql`select e.lead_id, e.cause, e.period, e.owner_id, e.created_at as at from lead_escalations e
          where e.rung = 2 and e.owner_id is not null`;
  const { rows } = await sql<{ lead_id: number; cause: EscalationCause; period: string; owner_id: number; at: Date | string }>`
    select a.lead_id, a.cause, a.period, a.owner_id, a.at from (${base}) a
    join leads l on l.id = a.lead_id
    left join stale_alerts sa on a.cause = 'stale' and 'stale:' || sa.id = a.period
    where a.at < ${olderThan} and ${oneLead} and not ${climbed} and ${untouched}
    order by a.at limit 200`.execute(db);
  return rows.map((r) => ({ leadId: r.lead_id, cause: r.cause, period: r.period, ownerId: r.owner_id, at: new Date(r.at) }));
}

/**
 * The escalation ladder (issue 11), one run: every stale or SLA-breached
 * lead its owner left alone goes up one rung once its time has come
 * (counted in working hours): rung 2 — the managers get it with 👤 Reassign
 * and 🔔 Ping owner; rung 3 — it is reassigned by the §4 rule (the owner
 * excluded), the new owner gets the card and the old one is told. Each rung
 * is a lead_escalations row (unique per lead, period and rung: never twice,
 * whatever runs at once) and an ESCALATED history row, written with its
 * messages under the lead's row lock. A rung 3 with nobody who has room
 * waits for the next run. Never throws for one lead.
 */
export async function climbLadder(db: Kysely<Database>, o: LadderOptions): Promise<LadderResult[]> {
  const results: LadderResult[] = [];
  const steps: { rung: 2 | 3; from: 1 | 2; hours: number }[] = [];
  if (o.afterHours > 0) steps.push({ rung: 2, from: 1, hours: o.afterHours });
  if (o.reassignAfterHours > 0) steps.push({ rung: 3, from: o.afterHours > 0 ? 2 : 1, hours: o.reassignAfterHours });
  for (const step of steps) {
    const bound = new Date(o.now.getTime() - step.hours * 3_600_000);
    for (const anchor of await anchors(db, step.from, step.rung, bound)) {
      if (addWorkingTime(anchor.at, step.hours * 60, o.hours) > o.now) continue;
      try {
        const r = await db.transaction().execute((trx) => climbOne(trx, anchor, step, o.now));
        if (r) results.push(r);
      } catch {
        // One lead's failure never stops the run; it is tried again next time.
      }
    }
  }
  return results;
}

async function climbOne(
  trx: Db, anchor: Anchor, step: { rung: 2 | 3; from: 1 | 2; hours: number }, now: Date,
): Promise<LadderResult | null> {
  await trx.selectFrom('leads').select('id').where('id', '=', anchor.leadId).forUpdate().executeTakeFirst();
  const [still] = await anchors(trx, step.from, step.rung, new Date(now.getTime() + 1), anchor.leadId);
  if (!still || still.period !== anchor.period) return null;
  const { leadId, cause, ownerId } = anchor;
  let toUserId: number | null = null;
  if (step.rung === 3) {
    toUserId = await pickAssignee(trx, { exclude: ownerId });
    if (toUserId === null) return null;
    await trx.updateTable('leads').set({ assigned_to: toUserId, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', leadId).execute();
    await recordHistory(trx, {
      lead_id: leadId, action: 'ASSIGNED', actor_user_id: null,
      details: { from_user_id: ownerId, to_user_id: toUserId, by: 'escalation' }, created_at: now,
    });
    await withdrawLeadChangeNotice(trx, { leadId, userId: ownerId });
  }
  await trx.insertInto('lead_escalations')
    .values({ lead_id: leadId, cause, period: anchor.period, rung: step.rung, owner_id: ownerId, created_at: now }).execute();
  await recordHistory(trx, {
    lead_id: leadId, action: 'ESCALATED', actor_user_id: null,
    details: { cause, rung: step.rung, hours: step.hours, ...(toUserId ? { to_user_id: toUserId } : {}) }, created_at: now,
  });
  const message = { kind: 'escalation', leadId, cause, rung: step.rung, ownerId, toUserId } as const;
  if (step.rung === 2) {
    await queueMessage(trx, { permission: 'leads.reassign' }, message);
    return { leadId, cause, rung: 2 };
  }
  await queueMessage(trx, { user: toUserId! }, { kind: 'lead_card', leadId, reason: 'escalated', byUserId: null });
  await queueMessage(trx, { user: ownerId }, message);
  return { leadId, cause, rung: 3, toUserId: toUserId! };
}
