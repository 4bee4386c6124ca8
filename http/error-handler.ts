import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '../core/index.js';
import type { Logger } from '../logger.js';
import type { AppEnv } from './middlewares/request-logger.js';

type ErrorFields = Record<string, unknown>;

interface ErrorMapping {
  status: ContentfulStatusCode;
  /** Data the caller needs beyond the message, in the API's snake_case. */
  extras?: (e: ErrorFields) => ErrorFields;
}

/**
 * The one place a domain error code becomes an HTTP status (house style
 * rule 5). Keyed by the code string, not the class, so codes added to
 * core/errors.ts later map as soon as they appear here.
 */
export const ERROR_STATUS: Readonly<Record<string, ErrorMapping>> = {
  VALIDATION: { status: 422, extras: (e) => ({ field: e.field }) },
  UNPROCESSABLE: { status: 422 },
  REASON_REQUIRED: { status: 422, extras: (e) => ({ min_length: e.minLength }) },
  NOT_FOUND: { status: 404 },
  UNAUTHORIZED: { status: 401 },
  FORBIDDEN: { status: 403 },
  // §4: exactly {"message": "Duplicate lead", "existing_lead_id": N}.
  DUPLICATE_LEAD: { status: 409, extras: (e) => ({ existing_lead_id: e.existingLeadId }) },
  INVALID_TRANSITION: { status: 409, extras: (e) => ({ expected_stage: e.expectedStage }) },
  ACCESS_ALREADY_DECIDED: { status: 409 },
  LEAD_CHANGED: { status: 409, extras: (e) => ({ current_version: e.currentVersion }) },
  PAYLOAD_TOO_LARGE: { status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415 },
  RATE_LIMITED: { status: 429 },
  CAPACITY_FULL: { status: 409, extras: (e) => ({ user_id: e.userId, load: e.load, capacity: e.capacity }) },
  INACTIVE_ASSIGNEE: { status: 422, extras: (e) => ({ user_id: e.userId, user_status: e.status }) },
  UNDO_EXPIRED: { status: 410 },
};

// A refused domain action nobody mapped yet is still the caller's problem, not ours.
const UNMAPPED_DOMAIN_STATUS: ContentfulStatusCode = 400;

/**
 * app.onError: domain errors → their status and `{error: code, message, …extras}`; HTTPException →
 * its own response; anything else → 500 with no internals (logged in full).
 */
export function createErrorHandler(root: Logger): ErrorHandler<AppEnv> {
  return function handleError(err: Error, c: Context<AppEnv>) {
    const log = c.get('logger') ?? root;
    if (err instanceof DomainError) {
      const mapping = ERROR_STATUS[err.code];
      if (!mapping) log.warn({ code: err.code }, 'http_unmapped_domain_error');
      const fields = err as unknown as ErrorFields;
      setRetryAfter(c, fields);
      const extras = mapping?.extras?.(fields) ?? {};
      return c.json({ error: err.code, message: err.message, ...withoutUndefined(extras) }, mapping?.status ?? UNMAPPED_DOMAIN_STATUS);
    }
    if (err instanceof HTTPException) {
      if (err.res) return err.getResponse();
      return c.json({ message: err.message || statusText(err.status) }, err.status);
    }
    log.error({ err }, 'http_unhandled_error');
    return c.json({ message: 'Internal server error' }, 500);
  };
}

/** §16: a rate-limit refusal says when to retry. */
function setRetryAfter(c: Context, e: ErrorFields): void {
  const ms = typeof e.retryAfterMs === 'number' ? e.retryAfterMs
    : typeof e.retryAfterSeconds === 'number' ? e.retryAfterSeconds * 1000 : undefined;
  if (ms !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(ms / 1000))));
}

function withoutUndefined(o: ErrorFields): ErrorFields {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function statusText(status: number): string {
  return status >= 500 ? 'Internal server error' : 'Request failed';
}
