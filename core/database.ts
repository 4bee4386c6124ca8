import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type {
  ChannelTextKey, CustomerMessageKind, MessageDirection, MessageStatus,
} from './conversations/conversation.constants.js';
import type {
  ColdStage, HistoryAction, LeadSource, LostReasonCode, QualityTier, SystemNoteCode,
} from './leads/lead.constants.js';
import type { DealHistoryAction, DealStage } from './deals/deal.constants.js';
import type { OutboxKind } from './outbox/outbox.messages.js';
import type { AiTrigger, AiVerdict, AnalyzedBy, FallbackReason, Recommendation } from './ai/ai.constants.js';
import type { Language, Role, UserStatus } from './users/user.constants.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
// int8 is parsed to a JS number on both drivers (createDb); Telegram ids fit in 2^53.
type TelegramId = number;

export interface UserTable {
  id: Generated<number>;
  telegram_id: TelegramId;
  username: string | null;
  full_name: string;
  role: Role;
  status: UserStatus;
  capacity: number;
  language: Language;
  /** IANA zone the bot shows times in; null: the team's (TEAM_TIMEZONE). */
  timezone: string | null;
  is_available: Generated<boolean>;
  last_assigned_at: NullableTimestamp;
  /** The daily digest (issue 11): on unless turned off in /settings. */
  digest_enabled: Generated<boolean>;
  /** Local minutes since midnight it comes at; null: DIGEST_TIME. */
  digest_minutes: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LeadTable {
  id: Generated<number>;
  source: LeadSource;
  stage: Generated<ColdStage>;
  full_name: string | null;
  /** E.164 (§2); the §4 duplicate rule matches on it. */
  phone: string | null;
  /**
   * What the person typed in a phone field the parser could not read (no
   * country code, a digit short), kept so the card shows it as unverified
   * (§11). Never used for duplicates; cleared when a real phone is set.
   */
  phone_unverified: string | null;
  email: string | null;
  company: string | null;
  position: string | null;
  intent: string | null;
  pain_points: string | null;
  business_domain: string | null;
  message_count: Generated<number>;
  ai_score: number | null;
  ai_recommendation: Recommendation | null;
  ai_reason: string | null;
  ai_analyzed_at: NullableTimestamp;
  quality_tier: QualityTier | null;
  assigned_to: number | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  form_source_id: number | null;
  form_reference: string | null;
  last_activity_at: Generated<Date>;
  /** When the lead was last alerted as stale (§10); null: never. Kept with stale_alerts so the scan can skip alerted leads by index. */
  stale_alerted_at: NullableTimestamp;
  /** A typed lost reason (§3); a preset one is lost_reason_code instead. */
  lost_reason: string | null;
  /** A preset lost reason, stored as its code and shown in the reader's language. */
  lost_reason_code: LostReasonCode | null;
  is_deleted: Generated<boolean>;
  deleted_at: NullableTimestamp;
  deleted_by: number | null;
  /** Bumped by every change; quick actions carry it to detect stale cards. */
  version: Generated<number>;
  /** Speed-to-lead (issue 11): when someone first reached the lead; null while nobody has. */
  first_contacted_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LeadHistoryTable {
  id: Generated<number>;
  lead_id: number;
  action: HistoryAction;
  /** null: the system (intake, jobs). */
  actor_user_id: number | null;
  from_stage: ColdStage | null;
  to_stage: ColdStage | null;
  reason: string | null;
  /** A preset reason (a LOST move's lost reason code), rendered per reader. */
  reason_code: LostReasonCode | null;
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface LeadNoteTable {
  id: Generated<number>;
  lead_id: number;
  author_id: number | null;
  /** Empty for a system note, whose words come from system_code. */
  body: string;
  system_code: SystemNoteCode | null;
  created_at: Generated<Date>;
}

export const FORM_PROVIDERS = ['tilda', 'typeform', 'generic', 'webflow', 'tally', 'jotform', 'hubspot'] as const;
export type FormProvider = (typeof FORM_PROVIDERS)[number];

export interface FormSourceTable {
  id: Generated<number>;
  name: string;
  provider: FormProvider;
  /** Public, unguessable path segment of the webhook URL. */
  slug: string;
  secret: string;
  /**
   * A key the provider issued and signs deliveries with (Webflow's webhook
   * secret or OAuth client secret, HubSpot's app client secret). Set: the
   * signature is checked; unset: the shared `secret` is.
   */
  signing_secret: Generated<string | null>;
  lead_source: LeadSource;
  is_active: Generated<boolean>;
  created_by: number | null;
  created_at: Generated<Date>;
  disabled_at: NullableTimestamp;
}

export interface IntakeSubmissionTable {
  id: Generated<number>;
  form_source_id: number;
  /** The provider's own submission id, when it sends one. */
  external_id: string | null;
  /** SHA-256 hex of the raw body. */
  payload_hash: string;
  content_type: string;
  /** The body as received: nothing that was accepted is lost. */
  raw_body: string;
  lead_id: number | null;
  /**
   * What became of it once processed: a new lead, a repeat inquiry on a live
   * lead (§4, 'duplicate'), or a provider retry of an earlier submission
   * ('retry', duplicate_of). Null while it waits.
   */
  outcome: 'created' | 'duplicate' | 'retry' | null;
  /** pending → processing (claimed, leased until next_attempt_at) → done; failed: set aside for admins to replay (§11). */
  status: Generated<IntakeSubmissionStatus>;
  attempts: Generated<number>;
  /** When a pending row is due, or when a claim's lease runs out. */
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  processed_at: NullableTimestamp;
  duplicate_of: number | null;
  created_at: Generated<Date>;
}

export type IntakeSubmissionStatus = 'pending' | 'processing' | 'done' | 'failed';

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * Transactional outbox of Telegram messages (house style rule 20): written
 * in the transaction of the change, delivered after commit. `kind` and
 * `payload` together are one OutboxMessage (core/outbox/outbox.messages.ts).
 */
export interface NotificationTable {
  id: Generated<number>;
  kind: OutboxKind;
  /** The message without its kind. */
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** Where it is delivered: a Telegram chat id. */
  chat_id: TelegramId;
  /** The user it is for, when it is for a user (language, access checks). */
  recipient_user_id: number | null;
  /** The lead it is about, if any (look-ups; the payload says it too). */
  lead_id: number | null;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  /** At most this many delivery attempts (reminders: 3, §10); null: until OUTBOX_MAX_AGE_HOURS. */
  max_attempts: ColumnType<number | null, number | null | undefined, number | null>;
  next_attempt_at: Generated<Date>;
  lease_until: NullableTimestamp;
  /** The delivery pass holding the lease. */
  lease_token: string | null;
  last_error: string | null;
  telegram_message_id: TelegramId | null;
  /** The request, update or job run that queued it. */
  correlation_id: string | null;
  /**
   * Set while later changes may still be merged into this message (a
   * lead_changed notice); unique among rows that have one, and cleared when
   * delivery claims the row.
   */
  merge_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** Start of the delivery window; reset when an admin retries a failed message. */
  queued_at: Generated<Date>;
  created_at: Generated<Date>;
  sent_at: NullableTimestamp;
  failed_at: NullableTimestamp;
}

/**
 * How a form source is doing (§11), for the admins' alerts: the run of
 * consecutive unprocessable submissions (reset by an accepted one) and when
 * admins were last told about the source (at most once an hour).
 */
export interface FormSourceHealthTable {
  form_source_id: number;
  unprocessable_streak: Generated<number>;
  alerted_at: NullableTimestamp;
  updated_at: Generated<Date>;
}

export interface StaleAlertTable {
  id: Generated<number>;
  lead_id: number;
  user_id: number;
  /** The lead's last_activity_at when the alert was raised. */
  stale_since: Date;
  days_inactive: number;
  /** The alert's message: an alert that was never delivered does not count as sent. */
  notification_id: number | null;
  created_at: Generated<Date>;
}

/** §5: a document or photo sent to the bot for a lead, kept by Telegram file id only. */
export interface LeadAttachmentTable {
  id: Generated<number>;
  lead_id: number;
  uploaded_by: number;
  telegram_file_id: string;
  /** Stable across bots and time; file_id is what re-sending needs. */
  telegram_file_unique_id: string;
  file_name: string | null;
  mime_type: string;
  size_bytes: number;
  kind: 'document' | 'photo';
  created_at: Generated<Date>;
}

/** §1: a single-use link that makes whoever opens it staff with `role`. Only the token's SHA-256 is kept. */
export interface StaffInviteTable {
  id: Generated<number>;
  token_hash: string;
  role: Role;
  created_by: number | null;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: NullableTimestamp;
  used_by: number | null;
  revoked_at: NullableTimestamp;
}

/** §12: a `t.me/<bot>?start=<code>` link and the UTM values its leads get. */
export interface CampaignLinkTable {
  id: Generated<number>;
  code: string;
  name: string;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_content: string | null;
  utm_term: string | null;
  is_active: Generated<boolean>;
  created_by: number | null;
  created_at: Generated<Date>;
}

/** §12: a customer who writes to the bot — one per Telegram account, attached to their lead. */
export interface ConversationTable {
  id: Generated<number>;
  lead_id: number;
  telegram_user_id: TelegramId;
  telegram_chat_id: TelegramId;
  username: string | null;
  customer_name: string;
  language: Generated<Language>;
  campaign_link_id: number | null;
  start_payload: string | null;
  /** The customer blocked the bot (a message to them got 403); cleared when they write again. */
  blocked_at: NullableTimestamp;
  /** The off-hours period already answered (working-hours.rules offHoursPeriod). */
  off_hours_replied_for: string | null;
  /** The newest inbound message id someone working the lead has seen. */
  read_up_to_id: Generated<number>;
  last_message_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One message of a conversation, either way; media by Telegram file id. */
export interface ConversationMessageTable {
  id: Generated<number>;
  conversation_id: number;
  direction: MessageDirection;
  kind: CustomerMessageKind;
  /** Inbound: the customer's message id (unique per conversation); outbound: set once Telegram took it. */
  telegram_message_id: TelegramId | null;
  text: string | null;
  file_id: string | null;
  file_unique_id: string | null;
  mime_type: string | null;
  file_name: string | null;
  file_size: number | null;
  /** contact {phone, first_name, …}, location {latitude, longitude}, or a bot text {template, ask_phone}. */
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The staff member who sent it; null: the customer (in) or the bot itself (out). */
  sender_user_id: number | null;
  status: MessageStatus;
  error: string | null;
  created_at: Generated<Date>;
  sent_at: NullableTimestamp;
}

/** §12: an admin's own version of a text the bot sends customers by itself. */
export interface ChannelTextTable {
  key: ChannelTextKey;
  language: Language;
  body: string;
  updated_by: number | null;
  updated_at: Generated<Date>;
}

/** §7: one score of a lead, newest last; the last two give the card's trend. */
export interface LeadScoreTable {
  id: Generated<number>;
  lead_id: number;
  score: number;
  recommendation: Recommendation;
  reason: string;
  analyzed_by: AnalyzedBy;
  created_at: Generated<Date>;
}

/** §7 audit log: one row per analysis, model or fallback, written after the answer. */
export interface AiAnalysisTable {
  id: Generated<number>;
  lead_id: number;
  /** The score it produced (null if the lead was gone before it was saved). */
  lead_score_id: number | null;
  model: string;
  /** SHA-256 hex of the features sent (or that would have been sent) to the model. */
  input_sha256: string;
  score: number;
  recommendation: Recommendation;
  reason: string;
  latency_ms: number;
  tokens_input: Generated<number>;
  tokens_output: Generated<number>;
  tokens_used: Generated<number>;
  /** numeric(14,8): read back as a string by the driver. */
  cost_usd: ColumnType<string, string | number | undefined, string | number>;
  is_fallback: boolean;
  fallback_reason: FallbackReason | null;
  /** A model call was made (and counted against AI_DAILY_CAP). */
  model_called: boolean;
  trigger: AiTrigger;
  requested_by: number | null;
  created_at: Generated<Date>;
}

/** [👎 Disagree]: a person's verdict on one analysis (one per person, the last one counts). */
export interface AiFeedbackTable {
  id: Generated<number>;
  lead_score_id: number;
  lead_id: number;
  user_id: number;
  verdict: AiVerdict;
  comment: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ReminderStatus = 'scheduled' | 'sent' | 'failed' | 'done' | 'cancelled';

/** §10: a follow-up reminder on a lead, for its author; delivered through the outbox at due_at. */
export interface ReminderTable {
  id: Generated<number>;
  lead_id: number;
  user_id: number;
  due_at: Date;
  body: string | null;
  status: Generated<ReminderStatus>;
  /** Its outbox row (the current one, after a reschedule). */
  notification_id: number | null;
  /** Why delivery failed: 'retries' (3 attempts) or 'refused' (400/403). */
  failure: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/**
 * §8, §9: a deal, made from one lead by the transfer to sales. The amount
 * is exact: an integer of the currency's minor units (int8, parsed to a JS
 * number; amounts are capped well inside 2^53), with its ISO 4217 code.
 */
export interface DealTable {
  id: Generated<number>;
  lead_id: number;
  owner_id: number;
  stage: Generated<DealStage>;
  amount_minor: number | null;
  currency: string;
  lost_reason: string | null;
  closed_at: NullableTimestamp;
  /** Whole days from created_at to PAID. */
  duration_days: number | null;
  created_by: number | null;
  last_activity_at: Generated<Date>;
  /** Bumped by every change; deal buttons carry it to detect stale cards. */
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Model calls per UTC day (AI_DAILY_CAP). */
export interface AiDailyUsageTable {
  day: ColumnType<string, string, string>;
  model_calls: Generated<number>;
}

/** The AI worker's queue: added by triggers on leads (new, reached QUALIFIED), deleted when done. */
export interface AiAnalysisRequestTable {
  id: Generated<number>;
  lead_id: number;
  trigger: Extract<AiTrigger, 'created' | 'qualified'>;
  attempts: Generated<number>;
  available_at: Generated<Date>;
  lease_until: NullableTimestamp;
  lease_token: string | null;
  last_error: string | null;
  created_at: Generated<Date>;
}

export type EscalationCause = 'sla' | 'stale';

/** A rung of the escalation ladder a lead climbed (issue 11), once per period. */
export interface LeadEscalationTable {
  id: Generated<number>;
  lead_id: number;
  cause: EscalationCause;
  /** Names the alert that started the period: `sla:<lead id>`, `stale:<stale alert id>`. */
  period: string;
  rung: number;
  owner_id: number | null;
  created_at: Generated<Date>;
}

/** One daily digest per person and local date (issue 11). */
export interface DigestTable {
  user_id: number;
  local_date: string;
  created_at: Generated<Date>;
}

export interface DealHistoryTable {
  id: Generated<number>;
  deal_id: number;
  action: DealHistoryAction;
  /** null: the system (jobs). */
  actor_user_id: number | null;
  from_stage: DealStage | null;
  to_stage: DealStage | null;
  reason: string | null;
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

/** §10 for deals: one row per stale-deal alert, as stale_alerts for leads. */
export interface DealStaleAlertTable {
  id: Generated<number>;
  deal_id: number;
  user_id: number;
  stale_since: Date;
  days_inactive: number;
  notification_id: number | null;
  created_at: Generated<Date>;
}

/** §16: a refresh token of the JSON API; one use each, rotated within its family. Only the hash is kept. */
export interface ApiRefreshTokenTable {
  id: Generated<number>;
  user_id: number;
  family_id: string;
  token_hash: string;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** §16: a named API key for an integration, acting for its creator within `role`. Only the hash is kept. */
export interface ApiKeyTable {
  id: Generated<number>;
  name: string;
  role: Role;
  key_hash: string;
  /** The key's first characters, so people can tell keys apart. */
  key_prefix: string;
  created_by: number;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** §13: an outside URL subscribed to events, with its own Standard Webhooks secret. */
export interface WebhookSubscriptionTable {
  id: Generated<number>;
  url: string;
  events: ColumnType<string[], string[], string[]>;
  secret: string;
  description: string | null;
  is_active: Generated<boolean>;
  /** Why it stopped: 'gone' (the receiver answered 410) or 'admin'. */
  disabled_reason: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
  disabled_at: NullableTimestamp;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** §13: one event for one subscription; event_id is the webhook-id of every attempt. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  subscription_id: number;
  event_id: string;
  event_type: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  lease_until: NullableTimestamp;
  last_status: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  /** Start of the retry window (WEBHOOK_MAX_AGE_HOURS); a replay starts a new one. */
  queued_at: Generated<Date>;
  delivered_at: NullableTimestamp;
  failed_at: NullableTimestamp;
}

/** §13: one try of a delivery: status (null: no answer), latency in ms, the start of the answer. */
export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  started_at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_start: string | null;
}

export interface Database {
  lead_scores: LeadScoreTable;
  ai_analyses: AiAnalysisTable;
  ai_feedback: AiFeedbackTable;
  ai_daily_usage: AiDailyUsageTable;
  ai_analysis_requests: AiAnalysisRequestTable;
  reminders: ReminderTable;
  lead_escalations: LeadEscalationTable;
  digests: DigestTable;
  users: UserTable;
  leads: LeadTable;
  lead_history: LeadHistoryTable;
  lead_notes: LeadNoteTable;
  lead_attachments: LeadAttachmentTable;
  form_sources: FormSourceTable;
  form_source_health: FormSourceHealthTable;
  intake_submissions: IntakeSubmissionTable;
  notifications: NotificationTable;
  stale_alerts: StaleAlertTable;
  staff_invites: StaffInviteTable;
  campaign_links: CampaignLinkTable;
  conversations: ConversationTable;
  conversation_messages: ConversationMessageTable;
  channel_texts: ChannelTextTable;
  deals: DealTable;
  deal_history: DealHistoryTable;
  deal_stale_alerts: DealStaleAlertTable;
  api_refresh_tokens: ApiRefreshTokenTable;
  api_keys: ApiKeyTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
}

/** Anything queries run on: the db handle or an open transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Lead = Selectable<LeadTable>;
export type NewLead = Insertable<LeadTable>;
export type LeadUpdate = Updateable<LeadTable>;
export type LeadHistory = Selectable<LeadHistoryTable>;
export type LeadNote = Selectable<LeadNoteTable>;
export type FormSource = Selectable<FormSourceTable>;
export type IntakeSubmission = Selectable<IntakeSubmissionTable>;
export type Notification = Selectable<NotificationTable>;
export type Reminder = Selectable<ReminderTable>;
export type StaffInvite = Selectable<StaffInviteTable>;
export type CampaignLink = Selectable<CampaignLinkTable>;
export type Conversation = Selectable<ConversationTable>;
export type ConversationMessage = Selectable<ConversationMessageTable>;
export type NewConversationMessage = Insertable<ConversationMessageTable>;
export type LeadScore = Selectable<LeadScoreTable>;
export type AiAnalysis = Selectable<AiAnalysisTable>;
export type NewAiAnalysis = Insertable<AiAnalysisTable>;
export type AiFeedback = Selectable<AiFeedbackTable>;
export type AiAnalysisRequest = Selectable<AiAnalysisRequestTable>;
export type Deal = Selectable<DealTable>;
export type NewDeal = Insertable<DealTable>;
export type DealUpdate = Updateable<DealTable>;
export type DealHistory = Selectable<DealHistoryTable>;
export type ApiKey = Selectable<ApiKeyTable>;
export type WebhookSubscription = Selectable<WebhookSubscriptionTable>;
export type WebhookDelivery = Selectable<WebhookDeliveryTable>;
export type WebhookAttempt = Selectable<WebhookAttemptTable>;
