/**
 * The one definition of every allowed value (§2). Validators, filters,
 * prompts and SQL checks derive from these arrays; never retype them.
 */
export const LEAD_SOURCES = [
  'WEB', 'REFERRAL', 'SOCIAL', 'MANUAL', 'SCANNER', 'PARTNER',
  'REGISTRATION', 'CALLBACK', 'LEAD_MAGNET', 'MESSAGE',
] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

export const COLD_STAGES = ['NEW', 'CONTACTED', 'QUALIFIED', 'TRANSFERRED', 'LOST'] as const;
export type ColdStage = (typeof COLD_STAGES)[number];

export const TERMINAL_STAGES: readonly ColdStage[] = ['TRANSFERRED', 'LOST'];

/** Stages that count against an assignee's capacity (§4). */
export const OPEN_STAGES: readonly ColdStage[] = ['NEW', 'CONTACTED', 'QUALIFIED'];

export const QUALITY_TIERS = ['HOT', 'WARM', 'COLD', 'DEAD'] as const;
export type QualityTier = (typeof QUALITY_TIERS)[number];

/** What a history row records (§5). */
export const HISTORY_ACTIONS = [
  'CREATED', 'STAGE_CHANGED', 'ROLLBACK', 'ASSIGNED', 'NOTE_ADDED', 'AI_ANALYZED',
  'TRANSFERRED', 'NURTURE', 'DELETED', 'RESTORED', 'REPEAT_INQUIRY',
  'FIELDS_UPDATED', 'ATTACHMENT_ADDED', 'UNDONE', 'ESCALATED',
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/**
 * The fields a user may edit on an open lead (§2), in the order the bot
 * offers them (here, not in lead-fields.service.ts, so a notice that names
 * edited fields can be typed without importing a service).
 */
export const EDITABLE_LEAD_FIELDS = ['company', 'position', 'businessDomain', 'intent', 'painPoints', 'phone', 'email'] as const;
export type EditableLeadField = (typeof EDITABLE_LEAD_FIELDS)[number];

/** Text limits of §2 and §5, in characters. */
export const TEXT_LIMIT = 1024;
export const NOTE_LIMIT = 4096;
export const ROLLBACK_REASON_MIN = 10;
/** An unverified phone (§11) is what someone typed in a phone field: short text, capped like a name. */
export const PHONE_TEXT_LIMIT = 128;
/** Typed phone text is a way to reach the person only with at least this many digits (§11). */
export const PHONE_TEXT_MIN_DIGITS = 5;

/**
 * Preset reasons offered by ❌ Lost (§3). Stored as the code
 * (leads.lost_reason_code) and rendered in the reader's language, so a
 * Ukrainian manager reading an English agent's lead reads Ukrainian.
 */
export const LOST_REASON_CODES = ['no_budget', 'no_response', 'competitor', 'not_fit', 'spam'] as const;
export type LostReasonCode = (typeof LOST_REASON_CODES)[number];

/** Notes the CRM writes itself, stored as a code and rendered per reader. */
export const SYSTEM_NOTE_CODES = ['stale_contact'] as const;
export type SystemNoteCode = (typeof SYSTEM_NOTE_CODES)[number];
