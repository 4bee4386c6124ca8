import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { asServiceUnavailable, DomainError, type ErrorCode, type ErrorOf } from '../core/index.js';
import type { Logger } from '../logger.js';
import type { AppEnv } from './middlewares/request-logger.js';

type ErrorFields = Record<string, unknown>;

interface ErrorMapping<E> {
  status: ContentfulStatusCode;
  /** Data the caller needs beyond the message, in the API's snake_case. */
  extras?: (e: E) => ErrorFields;
  /** Seconds until a retry may work (Retry-After, §16). */
  retryAfterSeconds?: (e: E) => number;
}

/**
 * The one place a domain error code becomes an HTTP status (house style
 * rule 5): one entry per code of core's ERROR_CODES, so a code added there
 * without a status here fails tsc.
 */
export const ERROR_STATUS: { [C in ErrorCode]: ErrorMapping<ErrorOf<C>> } = {
  VALIDATION: { status: 422, extras: (e) => ({ field: e.field }) },
  UNPROCESSABLE: { status: 422 },
  REASON_REQUIRED: { status: 422, extras: (e) => ({ min_length: e.minLength }) },
  NOT_FOUND: { status: 404 },
  UNAUTHORIZED: { status: 401 },
  FORBIDDEN: { status: 403 },
  // §4: exactly {"message": "Duplicate lead", "existing_lead_id": N}.
  DUPLICATE_LEAD: { status: 409, extras: (e) => ({ existing_lead_id: e.existingLeadId }) },
  INVALID_TRANSITION: { status: 409, extras: (e) => ({ expected_stage: e.expectedStage, rule: e.rule }) },
  ACCESS_ALREADY_DECIDED: { status: 409 },
  LEAD_CHANGED: { status: 409, extras: (e) => ({ current_version: e.currentVersion }) },
  PAYLOAD_TOO_LARGE: { status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415 },
  RATE_LIMITED: { status: 429, retryAfterSeconds: (e) => e.retryAfterMs / 1000 },
  CAPACITY_FULL: { status: 409, extras: (e) => ({ user_id: e.userId, load: e.load, capacity: e.capacity }) },
  INACTIVE_ASSIGNEE: { status: 422, extras: (e) => ({ user_id: e.userId, user_status: e.status }) },
  UNDO_EXPIRED: { status: 410 },
  CONFIGURED_ADMIN: { status: 409, extras: (e) => ({ user_id: e.userId }) },
  // Form builders retry a 503 (many do not retry a 500), and Retry-After says when.
  SERVICE_UNAVAILABLE: { status: 503, retryAfterSeconds: (e) => e.retryAfterSeconds },
  INVITE_INVALID: { status: 410, extras: (e) => ({ reason: e.reason }) },
  ANALYSIS_IN_PROGRESS: { status: 409, extras: (e) => ({ lead_id: e.leadId }) },
  // §8: which gates failed, so an API client can offer the fixes.
  TRANSFER_REFUSED: { status: 422, extras: (e) => ({ lead_id: e.leadId, refusals: e.refusals, score: e.score, min_score: e.minScore }) },
  INVALID_DEAL_TRANSITION: { status: 409, extras: (e) => ({ expected_stage: e.expectedStage, rule: e.rule }) },
  DEAL_CHANGED: { status: 409, extras: (e) => ({ current_version: e.currentVersion }) },
  INVALID_AMOUNT: { status: 422, extras: (e) => ({ field: 'amount', problem: e.problem, ...e.details }) },
};

/**
 * app.onError: domain errors (and the database being away, as
 * SERVICE_UNAVAILABLE) → their status and `{error: code, message, …extras}`;
 * HTTPException → its own response; anything else → 500 with no internals
 * (logged in full).
 */
export function createErrorHandler(root: Logger): ErrorHandler<AppEnv> {
  return function handleError(err: Error, c: Context<AppEnv>) {
    const log = c.get('logger') ?? root;
    const domain = err instanceof DomainError ? err : asServiceUnavailable(err);
    if (domain) {
      const mapping = ERROR_STATUS[domain.code] as ErrorMapping<DomainError>;
      if (domain.code === 'SERVICE_UNAVAILABLE') log.warn({ err }, 'http_service_unavailable');
      const retryAfter = mapping.retryAfterSeconds?.(domain);
      if (retryAfter !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      const extras = mapping.extras?.(domain) ?? {};
      return c.json({ error: domain.code, message: domain.message, ...withoutUndefined(extras) }, mapping.status);
    }
    if (err instanceof HTTPException) {
      if (err.res) return err.getResponse();
      return c.json({ message: err.message || statusText(err.status) }, err.status);
    }
    log.error({ err }, 'http_unhandled_error');
    return c.json({ message: 'Internal server error' }, 500);
  };
}

function withoutUndefined(o: ErrorFields): ErrorFields {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function statusText(status: number): string {
  return status >= 500 ? 'Internal server error' : 'Request failed';
}
