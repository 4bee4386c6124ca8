import type { ColdStage } from './leads/lead.constants.js';

/**
 * Base of every domain error. Edges map `code` to words (bot/) or an HTTP
 * status (http/); nothing else inspects messages.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION';
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly entity: 'lead' | 'user' | 'form_source' | 'note' | 'attachment', readonly id: number | string) {
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

/** §3: a refused stage change; expectedStage names the allowed next stage, if any. */
export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly from: ColdStage,
    readonly to: ColdStage,
    readonly expectedStage: ColdStage | null,
    detail?: string,
  ) {
    super(detail
      ?? (expectedStage
        ? `Cannot move from ${from} to ${to}. Expected ${expectedStage}`
        : `Cannot move from ${from} to ${to}: ${from} is terminal`));
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

export type DomainErrorCode =
  | ValidationError['code'] | NotFoundError['code'] | ForbiddenError['code']
  | DuplicateLeadError['code'] | InvalidTransitionError['code']
  | ReasonRequiredError['code'] | LeadChangedError['code']
  | UnauthorizedError['code'] | UnprocessableError['code'] | UnsupportedMediaTypeError['code']
  | PayloadTooLargeError['code'] | AccessAlreadyDecidedError['code'] | RateLimitedError['code']
  | CapacityFullError['code'] | InactiveAssigneeError['code'] | UndoExpiredError['code'];

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
  constructor(readonly user: { id: number; full_name: string; status: string; role: string }) {
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
