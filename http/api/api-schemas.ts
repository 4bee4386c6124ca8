import { z } from '@hono/zod-openapi';
import {
  BULK_LIMIT, BULK_STAGES, COLD_STAGES, EDITABLE_LEAD_FIELDS, ERROR_CODES, LEAD_SOURCES, LOST_REASON_CODES,
  MESSAGES_DEFAULT_LIMIT, MESSAGES_MAX_LIMIT, NOTE_LIMIT, QUALITY_TIERS, ROLES, USER_STATUSES, WEBHOOK_EVENTS,
} from '../../core/index.js';

/**
 * The API's shapes, once: request validation and the OpenAPI 3.1 document
 * both come from these (issue 12). Every list of allowed values is core's
 * own array (§2: never retyped).
 */
const ts = z.string().openapi({ format: 'date-time', example: '2026-12-02T10:00:00.000Z' });
const nts = ts.nullable();
const nstr = z.string().nullable();

export const ErrorBody = z.object({
  error: z.enum(ERROR_CODES).optional().openapi({ description: 'The domain error code; absent only on the §4 duplicate 409, whose body is fixed.' }),
  message: z.string(),
}).catchall(z.unknown()).openapi('Error', {
  description: 'Every error has this shape: a message, the code, and the data the code carries (e.g. field, expected_stage, existing_lead_id).',
});
export const DuplicateBody = z.object({ message: z.literal('Duplicate lead'), existing_lead_id: z.number().int() })
  .openapi('DuplicateLead', { example: { message: 'Duplicate lead', existing_lead_id: 42 } });

export const Lead = z.object({
  id: z.number().int(), source: z.enum(LEAD_SOURCES), stage: z.enum(COLD_STAGES),
  full_name: nstr, phone: nstr.openapi({ description: 'E.164' }), phone_unverified: nstr, email: nstr,
  company: nstr, position: nstr, intent: nstr, pain_points: nstr, business_domain: nstr,
  message_count: z.number().int(), ai_score: z.number().nullable(), ai_recommendation: nstr, ai_reason: nstr,
  ai_analyzed_at: nts, quality_tier: z.enum(QUALITY_TIERS).nullable(), assigned_to: z.number().int().nullable(),
  utm_source: nstr, utm_medium: nstr, utm_campaign: nstr, utm_content: nstr, utm_term: nstr,
  form_source_id: z.number().int().nullable(), form_reference: nstr, last_activity_at: ts,
  lost_reason: nstr, lost_reason_code: z.enum(LOST_REASON_CODES).nullable(),
  is_deleted: z.boolean(), deleted_at: nts, deleted_by: z.number().int().nullable(),
  version: z.number().int().openapi({ description: 'Bumped by every change; send it back as expected_version to refuse stale writes.' }),
  created_at: ts, updated_at: ts,
}).openapi('Lead');
export const ListedLead = Lead.extend({ assignee_name: nstr }).openapi('ListedLead');

export const LeadCard = z.object({
  lead: Lead,
  assignee: z.object({ id: z.number().int(), full_name: z.string(), username: nstr }).nullable(),
  form_source_name: nstr,
  note_count: z.number().int(), attachment_count: z.number().int(), conversation_id: z.number().int().nullable(),
  actions: z.array(z.string()).openapi({ description: 'What the caller may do with the lead now.' }),
}).openapi('LeadCard');

export const pageOf = <T extends z.ZodType>(item: T, name: string) => z.object({
  items: z.array(item), next_cursor: z.string().nullable(), has_next: z.boolean(), limit: z.number().int(),
}).openapi(name, { description: '§6 keyset page: pass next_cursor back as cursor.' });
export const offsetPageOf = <T extends z.ZodType>(item: T, name: string) => z.object({
  items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int(),
}).openapi(name);

const csv = <T extends readonly [string, ...string[]]>(values: T, name: string) => z.string().optional()
  .openapi({ description: `Comma-separated ${name}: ${values.join(', ')}`, example: values.slice(0, 2).join(',') });

export const LeadListQuery = z.object({
  stage: csv(COLD_STAGES, 'stages (default: the open ones)'),
  quality_tier: csv(QUALITY_TIERS, 'quality tiers'),
  source: csv(LEAD_SOURCES, 'sources'),
  assignee: z.string().optional().openapi({ description: 'Comma-separated user ids and/or "unassigned" (managers, admins).' }),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const OffsetQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20), offset: z.coerce.number().int().min(0).default(0),
});
export const IdParam = z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) });

const text = (max: number) => z.string().max(max).nullable().optional();
export const LeadCreate = z.object({
  source: z.enum(LEAD_SOURCES).optional().openapi({ description: 'Default MANUAL.' }),
  full_name: text(256), phone: text(64), email: text(320), company: text(1024), position: text(1024),
  intent: text(1024), pain_points: text(1024), business_domain: text(256),
  utm_source: text(256), utm_medium: text(256), utm_campaign: text(256), utm_content: text(256), utm_term: text(256),
  form_reference: text(512),
  assign_to_me: z.boolean().optional().openapi({ description: 'Keep the lead (else §4 assignment by free capacity).' }),
}).openapi('LeadCreate');

const snake: Record<(typeof EDITABLE_LEAD_FIELDS)[number], string> = {
  company: 'company', position: 'position', businessDomain: 'business_domain', intent: 'intent',
  painPoints: 'pain_points', phone: 'phone', email: 'email',
};
export const EDITABLE_API_FIELDS = Object.fromEntries(Object.entries(snake).map(([k, v]) => [v, k])) as Record<string, (typeof EDITABLE_LEAD_FIELDS)[number]>;
export const LeadUpdate = z.object({
  expected_version: z.number().int().optional(),
  ...Object.fromEntries(Object.values(snake).map((f) => [f, text(1024)])),
}).openapi('LeadUpdate', { description: `Fields to change: ${Object.values(snake).join(', ')}; null clears one.` });

export const Versioned = { expected_version: z.number().int().optional().openapi({ description: 'Refuse (409 LEAD_CHANGED) if the lead changed since.' }) };
export const StageChange = z.object({ stage: z.enum(COLD_STAGES), reason: z.string().max(1024).optional(), ...Versioned }).openapi('StageChange');
export const Rollback = z.object({ reason: z.string().max(1024), ...Versioned }).openapi('Rollback');
export const Lost = z.object({
  reason: z.string().max(1024).optional(), reason_code: z.enum(LOST_REASON_CODES).optional(), ...Versioned,
}).openapi('Lost');
export const Assign = z.object({ user_id: z.number().int().positive(), ...Versioned }).openapi('Assign');
export const NoteCreate = z.object({ body: z.string().min(1).max(NOTE_LIMIT) }).openapi('NoteCreate');

export const Note = z.object({
  id: z.number().int(), lead_id: z.number().int(), author_id: z.number().int().nullable(), author_name: nstr,
  body: z.string(), system_code: nstr, created_at: ts,
}).openapi('Note');
export const History = z.object({
  id: z.number().int(), lead_id: z.number().int(), action: z.string(), actor_user_id: z.number().int().nullable(),
  actor_name: nstr, from_stage: z.enum(COLD_STAGES).nullable(), to_stage: z.enum(COLD_STAGES).nullable(),
  reason: nstr, reason_code: nstr, details: z.record(z.string(), z.unknown()).nullable(), created_at: ts,
}).openapi('HistoryEntry');
export const Attachment = z.object({
  id: z.number().int(), lead_id: z.number().int(), uploaded_by: z.number().int(), uploader_name: nstr,
  file_name: nstr, mime_type: z.string(), size_bytes: z.number().int(), kind: z.enum(['document', 'photo']), created_at: ts,
}).openapi('Attachment', { description: 'Metadata only: files stay with Telegram (§5).' });

export const BulkRequest = z.object({
  action: z.enum(['stage', 'assign', 'delete']),
  ids: z.array(z.number().int().positive()).min(1).max(BULK_LIMIT),
  stage: z.enum(BULK_STAGES).optional(), user_id: z.number().int().positive().optional(),
  reason: z.string().max(1024).optional(), reason_code: z.enum(LOST_REASON_CODES).optional(),
  confirm: z.boolean().optional().openapi({ description: 'delete: must be true.' }),
}).openapi('BulkRequest', { description: `At most ${BULK_LIMIT} ids (§6).` });
export const BulkResult = z.object({
  processed: z.number().int(), succeeded: z.number().int(), failed: z.number().int(),
  results: z.array(z.object({ id: z.number().int(), status: z.enum(['ok', 'error']), message: z.string() })),
}).openapi('BulkResult');

export const MessagesQuery = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(MESSAGES_MAX_LIMIT).default(MESSAGES_DEFAULT_LIMIT),
});
export const Message = z.object({
  id: z.number().int(), conversation_id: z.number().int(), direction: z.string(), kind: z.string(), text: nstr,
  file_name: nstr, mime_type: nstr, sender_user_id: z.number().int().nullable(), status: z.string(), created_at: ts,
}).openapi('Message');
export const Reply = z.object({ text: z.string().min(1).max(4096) }).openapi('Reply');

export const User = z.object({
  id: z.number().int(), telegram_id: z.number().int(), username: nstr, full_name: z.string(), role: z.enum(ROLES),
  status: z.enum(USER_STATUSES), capacity: z.number().int(), language: z.string(), timezone: nstr,
  is_available: z.boolean(), open_leads: z.number().int().optional(), created_at: ts,
}).openapi('User');
export const UserUpdate = z.object({ role: z.enum(ROLES).optional(), capacity: z.number().int().optional(), active: z.boolean().optional() })
  .openapi('UserUpdate');

export const Tokens = z.object({
  access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int().openapi({ description: 'seconds' }),
  refresh_token: z.string(), refresh_expires_at: ts,
}).openapi('Tokens');
export const ApiKey = z.object({
  id: z.number().int(), name: z.string(), role: z.enum(ROLES), key_prefix: z.string(), created_by: z.number().int(),
  created_at: ts, last_used_at: nts, revoked_at: nts,
}).openapi('ApiKey');

export const WebhookCreate = z.object({
  url: z.string().max(2048), events: z.array(z.enum(WEBHOOK_EVENTS)).min(1), description: z.string().max(200).optional(),
}).openapi('WebhookCreate');
export const Webhook = z.object({
  id: z.number().int(), url: z.string(), events: z.array(z.string()), description: nstr, is_active: z.boolean(),
  disabled_reason: nstr, created_at: ts, pending: z.number().int(), failed: z.number().int(),
  last_status: z.number().int().nullable(), last_error: nstr, last_attempt_at: nts,
}).openapi('Webhook');
export const AttemptReport = z.object({
  delivery_id: z.number().int(), event_id: z.string(), status: z.number().int().nullable(), latency_ms: z.number().int(),
  error: nstr, outcome: z.string(),
}).openapi('AttemptReport');
export const Delivery = z.object({
  id: z.number().int(), event_id: z.string(), event_type: z.string(), status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(), next_attempt_at: ts, last_status: z.number().int().nullable(), last_error: nstr,
  created_at: ts, delivered_at: nts, failed_at: nts, payload: z.record(z.string(), z.unknown()),
  attempt_log: z.array(z.object({
    attempt: z.number().int(), started_at: ts, status_code: z.number().int().nullable(), latency_ms: z.number().int(),
    error: nstr, response_start: nstr,
  }).passthrough()),
}).openapi('Delivery');
