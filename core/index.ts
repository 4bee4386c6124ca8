/**
 * The public surface of core: the only module bot/, http/, jobs/ and the
 * scripts import (tests/architecture.test.ts enforces it). Use cases come
 * from createCore; the rest is what edges need to name things — types,
 * the one definition of each allowed value, limits, error classes.
 */
export { createCore, type Core, type CoreDeps } from './create-core.js';
export type { CoreConfig } from './core-context.js';
export { createDb, type CreateDbOptions, type DbHandle } from './create-db.js';
export { migrateToLatest, MigrationError } from './migrate.js';
export { createControlFile, readControlFile, type ControlEndpoint, type ControlFile } from './embedded-control.js';
export { DataDirInUseError, readLockOwner, type LockOwner } from './embedded-lock.js';
export { createStore } from './store/create-store.js';
export type { KeyValueStore } from './store/kv-store.js';
export { currentCorrelationId, withCorrelationId } from './correlation.js';
export { asServiceUnavailable, DATABASE_RETRY_AFTER_SECONDS } from './service-unavailable.js';
export * from './errors.js';

export { can, canHoldLeads, OPERATOR, type Permission, type Principal } from './access/access-policy.js';
export type {
  CampaignLink, Conversation, ConversationMessage, Database, Deal, DealHistory, FormSource, Lead, LeadHistory, LeadNote, Notification,
  NotificationStatus, StaffInvite, User,
} from './database.js';
export { FORM_PROVIDERS, type FormProvider } from './database.js';
export {
  COLD_STAGES, HISTORY_ACTIONS, LEAD_SOURCES, LOST_REASON_CODES, SYSTEM_NOTE_CODES, NOTE_LIMIT, OPEN_STAGES,
  QUALITY_TIERS, ROLLBACK_REASON_MIN, TERMINAL_STAGES, TEXT_LIMIT,
  type ColdStage, type HistoryAction, type LeadSource, type LostReasonCode, type QualityTier, type SystemNoteCode,
} from './leads/lead.constants.js';
export type { LostReason } from './leads/lost-reason.js';
export { LANGUAGES, ROLES, USER_STATUSES, type Language, type Role, type UserStatus } from './users/user.constants.js';
export { canonicalTimeZone } from './time-zone.js';

export { LEAD_ACTIONS, type LeadAction } from './leads/cold-pipeline.service.js';
export { NOTE_PREVIEW_CHARS, type LeadCard } from './leads/lead-card.query.js';
export { UNASSIGNED, hasLeadFilters, type AssigneeFilter, type LeadListFilters } from './leads/lead-list.filters.js';
export type { ListedLead, Page } from './leads/lead.repository.js';
export { parseSearchQuery } from './leads/lead-search.query.js';
export type { LeadSearchHit } from './leads/lead-search.service.js';
export { EDITABLE_LEAD_FIELDS, LEAD_FIELD_COLUMNS, type EditableLeadField } from './leads/lead-fields.service.js';
export type { HistoryWithActor } from './leads/lead-history.repository.js';
export type { NoteWithAuthor } from './leads/lead-note.service.js';
export {
  ATTACHMENT_MAX_BYTES, ATTACHMENT_MIME_TYPES, attachmentProblem, type AttachmentFile, type AttachmentProblem,
} from './leads/lead-attachment.rules.js';
export type { AttachmentWithUploader, LeadAttachment } from './leads/lead-attachment.service.js';
export type { DeletedLead } from './leads/lead-deletion.service.js';
export type { AssignableUser } from './leads/reassign.service.js';
export { UNDO_TTL_MS, type UndoKind } from './leads/undo.service.js';
export { BULK_LIMIT, BULK_STAGES, type BulkResult, type BulkStage } from './leads/bulk.service.js';
export type { StaleAlertResult } from './leads/stale-leads.service.js';
export type { LeadCounts } from './leads/lead-stats.repository.js';

export { CAPACITY_MAX, CAPACITY_MIN, type ManagedUser } from './users/user-admin.service.js';
export type { TeamMember } from './users/team.service.js';
export type { ReassignmentResult } from './users/user-deactivation.service.js';
export type { AccessDecision, TelegramProfile } from './users/user.service.js';

export { MAX_BODY_BYTES, mediaTypeOf } from './intake/intake.types.js';
export { needsUrlSecret, PROVIDER_KEYED, PROVIDER_SIGNED, WEBHOOK_BASE_PATH } from './intake/form-source.service.js';
export type { IncomingSubmission, IntakeResult } from './intake/intake.service.js';
export type { SetAsideSubmission } from './intake/intake-journal.repository.js';
export type { ProcessResult } from './intake/intake-worker.service.js';

export {
  CHAT_OUTBOX_KINDS, CUSTOMER_OUTBOX_KINDS, DEAL_MESSAGE_KINDS, LEAD_MESSAGE_KINDS, OUTBOX_KINDS, SOURCE_PROBLEMS,
  type LeadChange, type OutboxKind, type OutboxMessage, type OutboxMessageOf, type SourceProblem,
} from './outbox/outbox.messages.js';
export { LEAD_CHANGE_WINDOW_MS } from './notices/lead-change-notice.service.js';
export { SOURCE_ALERT_INTERVAL_MS, UNPROCESSABLE_STREAK_ALERT } from './intake/source-health.rules.js';
export type { FailedMessage } from './outbox/outbox.service.js';

export { INVITE_TTL_CHOICES_HOURS, type JoinResult } from './users/invite.service.js';
export {
  CAPTION_LIMIT, CHANNEL_TEXT_KEYS, CUSTOMER_MESSAGE_KINDS, INVITE_PREFIX, MESSAGES_DEFAULT_LIMIT, MESSAGES_MAX_LIMIT,
  REPLY_MEDIA_KINDS, REPLY_TEXT_LIMIT,
  type ChannelTextKey, type CustomerMessageKind, type ReplyMediaKind,
} from './conversations/conversation.constants.js';
export { previewOf, type MediaRef, type MessageContent, type ReplyContent } from './conversations/conversation.rules.js';
export type { IncomingCustomerMessage, ReceiveResult } from './conversations/conversation.service.js';
export type { ConversationPage, InboxPage } from './conversations/conversation.query.js';
export type { InboxRow } from './conversations/conversation.repository.js';
export type { NewCampaignLink } from './conversations/campaign-link.service.js';
export { CSV_MAX_BYTES } from './imports/csv-read.rules.js';
export { toCsv } from './imports/csv-write.rules.js';
export type { ImportSummary, RowResult } from './imports/lead-import.service.js';

export { REMINDER_PRESETS, type ParsedReminder, type ReminderPreset } from './reminders/reminder-time.rules.js';
export { REMINDER_MAX_ATTEMPTS, REMINDER_TEXT_LIMIT, type ReminderItem } from './reminders/reminder.service.js';
export type { ReminderWhen } from './reminders/reminders.use-cases.js';
export type { Reminder, ReminderStatus, EscalationCause } from './database.js';
export { ESCALATION_CAUSES } from './outbox/followup.messages.js';
export { DIGEST_LIST_MAX, digestIsEmpty, type Digest, type DigestLead } from './followups/digest.query.js';
export { REPORT_PERIODS, periodDates, type PeriodBounds, type ReportPeriod } from './reports/report-period.rules.js';
export { REPORT_KINDS, type FunnelReport, type MyStats, type Report, type ReportKind } from './reports/reports.service.js';
export type { ManagerRow, SourceRow, TierRow } from './reports/report.repository.js';
export { BOARD_STAGES, BOARD_TARGETS, type BoardStage, type BoardTarget } from './board/board.rules.js';
export { CARDS_PER_COLUMN, type Board, type BoardCard, type BoardColumn } from './board/board.query.js';
export type { BoardMove } from './board/board.use-cases.js';
export {
  AI_COMMENT_LIMIT, AI_STATS_DAYS, AI_TRIGGERS, AI_VERDICTS, ANALYZED_BY, FALLBACK_REASONS, RECOMMENDATIONS, RULE_BASED_MARK,
  TREND_STABLE_BAND, TRENDS,
  type AiTrigger, type AiVerdict, type AnalyzedBy, type FallbackReason, type Recommendation, type Trend,
} from './ai/ai.constants.js';
export type { AnalysisOutcome, AiObserver } from './ai/ai-analysis.service.js';
export type { AiBulkItem, AiBulkResult } from './ai/ai-bulk.service.js';
export type { LeadCardAi } from './ai/ai-card.query.js';
export type { AiStats } from './ai/ai-stats.query.js';
export type { AiHooks } from './ai/ai.use-cases.js';
export type { ModelClient, ModelAnswer } from './ai/ai-model.client.js';
export {
  DEAL_HISTORY_ACTIONS, DEAL_LOST_REASON_MAX, DEAL_STAGES, OPEN_DEAL_STAGES, TERMINAL_DEAL_STAGES, TRANSFER_MIN_SCORE,
  TRANSFER_REFUSALS, type DealHistoryAction, type DealStage, type TransferRefusal,
} from './deals/deal.constants.js';
export { AMOUNT_MAX_MINOR, currencyMinorDigits, isCurrencyCode, parseAmount, type Amount } from './deals/amount.rules.js';
export { DEAL_ACTIONS, type DealAction, type DealCard } from './deals/deal-card.query.js';
export type { DealList, DealListQuery } from './deals/deal-list.service.js';
export type { DealHistoryWithActor, ListedDeal, StageTotal } from './deals/deal.repository.js';
export { DEAL_UNDO_TTL_MS } from './deals/deal-pipeline.service.js';
export type { StaleDealResult } from './deals/stale-deals.service.js';
export type { CoreMetrics } from './core-context.js';
export { API_KEY_PREFIX, type ApiKeyInfo } from './api-access/api-key.service.js';
export { REFRESH_PREFIX, type AccessClaims, type ApiTokens } from './api-access/api-token.service.js';
export type { ApiPrincipal } from './api-access/api-access.use-cases.js';
export type { WebhookSubscription, WebhookDelivery, WebhookAttempt, ApiKey } from './database.js';
export { PING_EVENT, WEBHOOK_EVENTS, type WebhookEvent } from './webhooks/webhook.events.js';
export type { AttemptReport } from './webhooks/webhook-delivery.service.js';
export type { DeliveryView, SubscriptionView } from './webhooks/webhook-subscription.service.js';
