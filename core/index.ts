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

export { can, OPERATOR, type Permission, type Principal } from './access/access-policy.js';
export type {
  Database, FormSource, Lead, LeadHistory, LeadNote, Notification, NotificationStatus, User,
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
export { WEBHOOK_BASE_PATH } from './intake/form-source.service.js';
export type { IncomingSubmission, IntakeResult } from './intake/intake.service.js';

export {
  LEAD_MESSAGE_KINDS, OUTBOX_KINDS, SOURCE_PROBLEMS, type LeadChange, type OutboxKind, type OutboxMessage, type OutboxMessageOf,
  type SourceProblem,
} from './outbox/outbox.messages.js';
export { LEAD_CHANGE_WINDOW_MS } from './notices/lead-change-notice.service.js';
export { SOURCE_ALERT_INTERVAL_MS, UNPROCESSABLE_STREAK_ALERT } from './intake/source-health.rules.js';
export type { FailedMessage } from './outbox/outbox.service.js';
