import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../database.js';
import { HISTORY_EVENTS, type WebhookEvent } from './webhook.events.js';

/** One event to record; `data` joins the lead (and note) as they are in this transaction. */
export interface WebhookEventInput {
  type: WebhookEvent | 'webhook.ping';
  leadId?: number | null;
  noteId?: number | null;
  /** Only this subscription (a ping); default: every active one that wants `type`. */
  subscriptionId?: number;
  /** snake_case fields of the event, e.g. { previous_stage, stage, actor_user_id } or { sale }. */
  data?: Record<string, unknown>;
}

export const newEventId = (): string => `msg_${randomUUID().replaceAll('-', '')}`;

/**
 * Records events for delivery (§13): one row per event and subscribed URL,
 * in ONE insert … select, with the lead (and note) as the caller's
 * transaction sees them. Call it inside the transaction of the change: the
 * deliveries exist iff the change committed. Nobody subscribed: nothing is
 * written. The deals code calls this for lead.transferred and
 * sale.stage_changed with `data: { sale, previous_stage, stage }`.
 * Returns the event ids, in input order.
 */
export async function recordWebhookEvents(db: Db, events: readonly WebhookEventInput[]): Promise<string[]> {
  if (!events.length) return [];
  const { statement, eventIds } = webhookDeliveriesInsert(events);
  await statement.execute(db);
  return eventIds;
}

/**
 * The statement recordWebhookEvents runs, unexecuted, so a writer can put
 * it after a data-modifying CTE of its own (recordHistories: the history
 * rows and their deliveries in one round trip). Its subqueries see the
 * lead and note as the transaction does before the statement — unless
 * `leadsFrom` names a CTE of the same statement that returns the lead as
 * changed (updateLeadWithHistory); then an event whose lead that CTE did
 * not return is not delivered (the change did not happen).
 */
export function webhookDeliveriesInsert(events: readonly WebhookEventInput[], opts: { leadsFrom?: RawBuilder<unknown> } = {}) {
  const leads = opts.leadsFrom ?? sql`leads`;
  const rows = events.map((e) => ({
    event_id: newEventId(), type: e.type, lead_id: e.leadId ?? null, note_id: e.noteId ?? null,
    subscription_id: e.subscriptionId ?? null, data: e.data ?? {},
  }));
  const statement = sql`
    insert into webhook_deliveries (subscription_id, event_id, event_type, payload)
    select s.id, e.event_id, e.type, jsonb_build_object(
      'type', e.type,
      'timestamp', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'data', e.data
        || case when e.lead_id is null then '{}'::jsonb
           else jsonb_build_object('lead', (select to_jsonb(l) from ${leads} l where l.id = e.lead_id)) end
        || case when e.note_id is null then '{}'::jsonb
           else jsonb_build_object('note', (select jsonb_build_object('id', n.id, 'lead_id', n.lead_id,
             'author_id', n.author_id, 'body', n.body, 'system_code', n.system_code, 'created_at', n.created_at)
             from lead_notes n where n.id = e.note_id)) end)
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as e(event_id text, type text, lead_id int, note_id int, subscription_id int, data jsonb)
    join webhook_subscriptions s on s.is_active
      and (e.subscription_id = s.id or (e.subscription_id is null and e.type = any(s.events)))
    ${opts.leadsFrom ? sql`where exists (select 1 from ${leads} l where l.id = e.lead_id)` : sql``}
  `;
  return { statement, eventIds: rows.map((r) => r.event_id) };
}

/** What a history row says, as the event it is (HISTORY_EVENTS), or null when it is none. */
export function eventOfHistory(entry: {
  lead_id: number; action: keyof typeof HISTORY_EVENTS; actor_user_id?: number | null;
  from_stage?: string | null; to_stage?: string | null; reason?: string | null; details?: Record<string, unknown> | null;
}): WebhookEventInput | null {
  const type = HISTORY_EVENTS[entry.action];
  if (!type) return null;
  const d = entry.details ?? {};
  const data: Record<string, unknown> = { action: entry.action.toLowerCase(), actor_user_id: entry.actor_user_id ?? null };
  if (type === 'lead.stage_changed') Object.assign(data, { previous_stage: entry.from_stage, stage: entry.to_stage, reason: entry.reason ?? null });
  if (type === 'lead.assigned') Object.assign(data, { assigned_to: d['to_user_id'] ?? null, previous_assignee: d['from_user_id'] ?? null });
  if (entry.action === 'FIELDS_UPDATED') data['changes'] = d;
  const noteId = type === 'note.created' && typeof d['note_id'] === 'number' ? d['note_id'] : null;
  return { type, leadId: entry.lead_id, noteId, data };
}
