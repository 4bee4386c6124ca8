import type { UserStatus } from './users/user.constants.js';
import type { ColdStage } from './leads/lead.constants.js';
import type { DealStage, TransferRefusal } from './deals/deal.constants.js';

/**
 * Every domain error code, declared once. Each edge maps all of them — the
 * bot to words (bot/texts/errors.ts), HTTP to a status (http/error-handler.ts)
 * — through a record keyed by ErrorCode, so a code added here without a text
 * or a status fails tsc at the edge.
 */
export const ERROR_CODES = [
  'VALIDATION', 'NOT_FOUND', 'FORBIDDEN', 'DUPLICATE_LEAD', 'INVALID_TRANSITION', 'REASON_REQUIRED',
  'LEAD_CHANGED', 'UNAUTHORIZED', 'UNPROCESSABLE', 'UNSUPPORTED_MEDIA_TYPE', 'PAYLOAD_TOO_LARGE',
  'ACCESS_ALREADY_DECIDED', 'RATE_LIMITED', 'CAPACITY_FULL', 'INACTIVE_ASSIGNEE', 'UNDO_EXPIRED',
  'CONFIGURED_ADMIN', 'SERVICE_UNAVAILABLE', 'INVITE_INVALID', 'ANALYSIS_IN_PROGRESS',
  'TRANSFER_REFUSED', 'INVALID_DEAL_TRANSITION', 'DEAL_CHANGED', 'INVALID_AMOUNT',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Base of every domain error. Edges map `code` to words (bot/) or an HTTP
 * status (http/); nothing else inspects messages.
 */
export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: 'lead' | 'user' | 'form_source' | 'note' | 'attachment' | 'notification' | 'conversation' | 'campaign_link'
      | 'deal' | 'intake_submission' | 'api_key' | 'webhook_subscription' | 'webhook_delivery' | 'reminder',
    readonly id: number | string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'Not allowed') {
    super(message);
  }
}

/** §4: an email or phone already on a live lead. */
export class DuplicateLeadError extends DomainError {
  readonly code = 'DUPLICATE_LEAD';
  constructor(readonly existingLeadId: number) {
    super('Duplicate lead');
  }
}

/**
 * Which §3 rule refused a stage change:
 * - skip: not the next stage (expectedStage names it: "Expected CONTACTED");
 * - backward: an earlier stage, which only a rollback reaches;
 * - same: the lead is already there;
 * - terminal: TRANSFERRED and LOST allow no further change;
 * - transfer_only: TRANSFERRED is reached only by the transfer to sales (§8);
 * - not_rollbackable: NEW and terminal stages have nothing to roll back to.
 */
export type TransitionRule = 'skip' | 'backward' | 'same' | 'terminal' | 'transfer_only' | 'not_rollbackable';

const TRANSITION_DETAIL: Record<TransitionRule, (e: { from: string; to: string; expectedStage: string | null }) => string> = {
  skip: (e) => `Cannot move from ${e.from} to ${e.to}. Expected ${e.expectedStage}`,
  backward: (e) => `Cannot move from ${e.from} to ${e.to}: an earlier stage is reached only by a rollback`,
  same: (e) => `The lead is already ${e.to}`,
  terminal: (e) => `Cannot move from ${e.from} to ${e.to}: ${e.from} is terminal`,
  transfer_only: () => 'TRANSFERRED is reached only through the transfer to sales',
  not_rollbackable: (e) => `${e.from} cannot be rolled back`,
};

/** §3: a refused stage change; `rule` says which rule, expectedStage names the allowed next stage, if any. */
export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly from: ColdStage,
    readonly to: ColdStage,
    readonly expectedStage: ColdStage | null,
    readonly rule: TransitionRule,
  ) {
    super(TRANSITION_DETAIL[rule]({ from, to, expectedStage }));
  }
}

/** §3: LOST and rollbacks need a reason (rollback: ≥ 10 characters). */
export class ReasonRequiredError extends DomainError {
  readonly code = 'REASON_REQUIRED';
  constructor(readonly minLength: number) {
    super(minLength > 1 ? `A reason of at least ${minLength} characters is required` : 'A reason is required');
  }
}

/** §3: someone else changed the lead since the caller looked at it. */
export class LeadChangedError extends DomainError {
  readonly code = 'LEAD_CHANGED';
  constructor(readonly leadId: number, readonly currentVersion: number) {
    super(`Lead #${leadId} has changed meanwhile`);
  }
}


/** §11/§16: a webhook call without the right secret or signature. */
export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
  constructor(message = 'Invalid secret or signature') {
    super(message);
  }
}

/** §11: a submission that cannot be read, or carries no way to contact the person. */
export class UnprocessableError extends DomainError {
  readonly code = 'UNPROCESSABLE';
  constructor(message: string) {
    super(message);
  }
}

/** §11: a body in a format the receiver does not read (JSON and urlencoded only). */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  constructor(readonly contentType: string) {
    super(`Unsupported content type: ${contentType.slice(0, 100) || '(none)'}`);
  }
}

/** §11: a body over the limit (bytes). */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  constructor(readonly limitBytes: number) {
    super(`Body over ${limitBytes} bytes`);
  }
}

/** §1: an access request another admin has already decided; `user` is the outcome. */
export class AccessAlreadyDecidedError extends DomainError {
  readonly code = 'ACCESS_ALREADY_DECIDED';
  constructor(readonly user: { id: number; full_name: string; status: UserStatus; role: string }) {
    super(`User ${user.id} was already decided: ${user.status}`);
  }
}

/** §16: a per-user limit reached; retryAfterMs says when the window resets. */
export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
  constructor(readonly action: string, readonly limit: number, readonly retryAfterMs: number) {
    super(`Rate limit for ${action} reached (${limit}); retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** §4: the chosen assignee has no free capacity; load is counted fresh under a lock on their row. */
export class CapacityFullError extends DomainError {
  readonly code = 'CAPACITY_FULL';
  constructor(readonly userId: number, readonly userName: string, readonly load: number, readonly capacity: number) {
    super(`${userName} is full: ${load}/${capacity}`);
  }
}

/** §4: leads go only to active agents and managers (not pending, inactive or rejected users). */
export class InactiveAssigneeError extends DomainError {
  readonly code = 'INACTIVE_ASSIGNEE';
  constructor(readonly userId: number, readonly userName: string, readonly status: string) {
    super(`${userName} cannot take leads (${status})`);
  }
}

/** §3–§6: the 30-second undo window of a Lost, Reassign or Delete has passed (or the token is unknown). */
export class UndoExpiredError extends DomainError {
  readonly code = 'UNDO_EXPIRED';
  constructor() {
    super('Undo is no longer available');
  }
}

/**
 * §11, §15: a dependency (the database) is down or did not answer in time.
 * Not the caller's fault and not final: HTTP answers 503 with Retry-After
 * (form builders retry 503), the bot says it is temporarily unavailable.
 */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(readonly service: 'database', readonly retryAfterSeconds: number, options?: { cause?: unknown }) {
    super(`The ${service} is temporarily unavailable`, options);
  }
}

/** §1: an admin by configuration (ADMIN_TELEGRAM_IDS) cannot be demoted or switched off in the bot. */
export class ConfiguredAdminError extends DomainError {
  readonly code = 'CONFIGURED_ADMIN';
  constructor(readonly userId: number, readonly userName: string) {
    super(`${userName} is an admin by configuration (ADMIN_TELEGRAM_IDS): change it there`);
  }
}

/**
 * §1: a staff invite that cannot be used: unknown (or mistyped), already
 * used, expired or revoked; `deactivated`: the person's account was switched
 * off by an admin, which an invite does not undo (an admin reactivates it).
 */
export class InviteInvalidError extends DomainError {
  readonly code = 'INVITE_INVALID';
  constructor(readonly reason: 'unknown' | 'used' | 'expired' | 'revoked' | 'deactivated') {
    super(`This invite cannot be used: ${reason}`);
  }
}

/** §7: the lead is being analysed right now (a double tap on 🤖 Analyze); its result is on the way. */
export class AnalysisInProgressError extends DomainError {
  readonly code = 'ANALYSIS_IN_PROGRESS';
  constructor(readonly leadId: number) {
    super(`Lead #${leadId} is being analysed already`);
  }
}

/**
 * §8: a transfer to sales that the lead does not qualify for. `refusals`
 * lists every condition that failed, in TRANSFER_REFUSALS order (the first
 * is the one to fix first); `score` is the lead's score (null: not
 * analysed), `minScore` the threshold.
 */
export class TransferError extends DomainError {
  readonly code = 'TRANSFER_REFUSED';
  constructor(
    readonly leadId: number,
    readonly refusals: readonly [TransferRefusal, ...TransferRefusal[]],
    readonly stage: ColdStage,
    readonly score: number | null,
    readonly minScore: number,
  ) {
    super(`Lead #${leadId} cannot be transferred: ${refusals.join(', ')}`);
  }
}

/**
 * Which §9 rule refused a deal's stage change:
 * - skip: not the next stage (expectedStage names it);
 * - backward: an earlier stage (deals only go forward; an undo puts a mistake right);
 * - same: the deal is already there;
 * - terminal: PAID and LOST allow no further change;
 * - amount_required: AGREEMENT (and so PAID) needs the deal's amount.
 */
export type DealTransitionRule = 'skip' | 'backward' | 'same' | 'terminal' | 'amount_required';

/** §9: a refused deal stage change; expectedStage names the allowed next stage, if any. */
export class DealTransitionError extends DomainError {
  readonly code = 'INVALID_DEAL_TRANSITION';
  constructor(
    readonly dealId: number,
    readonly from: DealStage,
    readonly to: DealStage,
    readonly expectedStage: DealStage | null,
    readonly rule: DealTransitionRule,
  ) {
    super(rule === 'amount_required'
      ? `Deal #${dealId}: ${to} needs the amount`
      : `Deal #${dealId}: cannot move from ${from} to ${to} (${rule})${expectedStage ? `. Expected ${expectedStage}` : ''}`);
  }
}

/** §9: someone else changed the deal since the caller looked at it (as LeadChangedError for leads). */
export class DealChangedError extends DomainError {
  readonly code = 'DEAL_CHANGED';
  constructor(readonly dealId: number, readonly currentVersion: number) {
    super(`Deal #${dealId} has changed meanwhile`);
  }
}

/**
 * §9: an amount that cannot be read exactly:
 * - empty: nothing but spaces (or only a currency);
 * - not_a_number: letters or signs that are not part of an amount;
 * - not_positive: zero or negative;
 * - too_many_decimals: more decimals than the currency has (maxDecimals);
 * - grouping: digit groups that are not thousands ("1 23 456");
 * - too_large: over the largest amount kept (max, in major units);
 * - unknown_currency: a currency code or sign we do not know;
 * - two_currencies: more than one currency in one amount.
 */
export type AmountProblem =
  | 'empty' | 'not_a_number' | 'not_positive' | 'too_many_decimals' | 'grouping' | 'too_large'
  | 'unknown_currency' | 'two_currencies';

export class InvalidAmountError extends DomainError {
  readonly code = 'INVALID_AMOUNT';
  constructor(
    readonly problem: AmountProblem,
    readonly details: { currency?: string; maxDecimals?: number; max?: string; text?: string } = {},
  ) {
    super(`Invalid amount: ${problem}`);
  }
}

/** Every concrete domain error; `ErrorOf<C>` is the one with code C (for the edges' maps). */
export type KnownDomainError =
  | ValidationError | NotFoundError | ForbiddenError | DuplicateLeadError | InvalidTransitionError
  | ReasonRequiredError | LeadChangedError | UnauthorizedError | UnprocessableError
  | UnsupportedMediaTypeError | PayloadTooLargeError | AccessAlreadyDecidedError | RateLimitedError
  | CapacityFullError | InactiveAssigneeError | UndoExpiredError | ConfiguredAdminError | ServiceUnavailableError
  | InviteInvalidError | AnalysisInProgressError | TransferError | DealTransitionError | DealChangedError | InvalidAmountError;
export type ErrorOf<C extends ErrorCode> = Extract<KnownDomainError, { code: C }>;

// Compile-time: every declared code has its class in KnownDomainError, and no class has an undeclared code.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const everyCodeHasAClass: Exact<KnownDomainError['code'], ErrorCode> = true;
void everyCodeHasAClass;
