import {
  DomainError, type DuplicateLeadError, type ForbiddenError, type InvalidTransitionError, type LeadChangedError,
  type NotFoundError, type ReasonRequiredError, type UnauthorizedError, type UnprocessableError,
  type UnsupportedMediaTypeError, type ValidationError, type PayloadTooLargeError, type AccessAlreadyDecidedError, type RateLimitedError,
  type CapacityFullError, type InactiveAssigneeError, type UndoExpiredError,
} from '../../core/errors.js';
import { escapeHtml } from '../html.js';
import type { Texts } from './en.js';

type KnownDomainError =
  | ValidationError | NotFoundError | ForbiddenError | DuplicateLeadError
  | InvalidTransitionError | ReasonRequiredError | LeadChangedError
  | UnauthorizedError | UnprocessableError | UnsupportedMediaTypeError | PayloadTooLargeError
  | AccessAlreadyDecidedError | RateLimitedError
  | CapacityFullError | InactiveAssigneeError | UndoExpiredError;

/**
 * The one place where a domain error becomes words for a Telegram user
 * (house style rule 5). The switch is exhaustive over the known codes, so a
 * new code in core/errors.ts fails tsc here. Anything else returns null: the
 * caller shows the generic "something went wrong" and logs the error.
 */
export function errorText(t: Texts, err: unknown): string | null {
  if (!(err instanceof DomainError)) return null;
  const e = err as KnownDomainError;
  switch (e.code) {
    case 'VALIDATION': return t.errors.VALIDATION(escapeHtml(e.field));
    case 'NOT_FOUND': return t.errors.NOT_FOUND;
    case 'FORBIDDEN': return t.errors.FORBIDDEN;
    case 'DUPLICATE_LEAD': return t.errors.DUPLICATE_LEAD(e.existingLeadId);
    case 'INVALID_TRANSITION':
      return t.errors.INVALID_TRANSITION(
        t.stages[e.from], t.stages[e.to], e.expectedStage ? t.stages[e.expectedStage] : null);
    case 'REASON_REQUIRED': return t.errors.REASON_REQUIRED(e.minLength);
    case 'LEAD_CHANGED': return t.errors.LEAD_CHANGED(e.leadId);
    // Webhook-side errors: listed so the switch stays exhaustive; the bot does not raise them.
    case 'UNAUTHORIZED': return t.errors.UNAUTHORIZED;
    case 'UNPROCESSABLE': return t.errors.UNPROCESSABLE;
    case 'UNSUPPORTED_MEDIA_TYPE': return t.errors.UNSUPPORTED_MEDIA_TYPE;
    case 'PAYLOAD_TOO_LARGE': return t.errors.PAYLOAD_TOO_LARGE;
    case 'RATE_LIMITED': return t.errors.RATE_LIMITED(Math.max(1, Math.ceil(e.retryAfterMs / 60_000)));
    case 'ACCESS_ALREADY_DECIDED': return t.errors.ACCESS_ALREADY_DECIDED(escapeHtml(e.user.full_name), e.user.status);
    case 'CAPACITY_FULL': return t.errors.CAPACITY_FULL(escapeHtml(e.userName), e.load, e.capacity);
    case 'INACTIVE_ASSIGNEE': return t.errors.INACTIVE_ASSIGNEE(escapeHtml(e.userName));
    case 'UNDO_EXPIRED': return t.errors.UNDO_EXPIRED;
    default: {
      const unknownCode: never = e;
      void unknownCode;
      return null;
    }
  }
}
