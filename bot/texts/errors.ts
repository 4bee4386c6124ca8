import { asServiceUnavailable, DomainError, type ErrorCode, type ErrorOf } from '../../core/index.js';
import { escapeHtml } from '../html.js';
import type { Texts } from './index.js';

/**
 * The one place where a domain error becomes words for a Telegram user
 * (house style rule 5): one entry per code of core's ERROR_CODES, so a code
 * added there without a text here fails tsc.
 */
const ERROR_TEXTS: { [C in ErrorCode]: (t: Texts, e: ErrorOf<C>) => string } = {
  VALIDATION: (t, e) => t.errors.VALIDATION(escapeHtml(e.field)),
  NOT_FOUND: (t) => t.errors.NOT_FOUND,
  FORBIDDEN: (t) => t.errors.FORBIDDEN,
  DUPLICATE_LEAD: (t, e) => t.errors.DUPLICATE_LEAD(e.existingLeadId),
  INVALID_TRANSITION: (t, e) => t.errors.INVALID_TRANSITION[e.rule](
    t.stages[e.from], t.stages[e.to], e.expectedStage ? t.stages[e.expectedStage] : ''),
  REASON_REQUIRED: (t, e) => t.errors.REASON_REQUIRED(e.minLength),
  LEAD_CHANGED: (t, e) => t.errors.LEAD_CHANGED(e.leadId),
  // Webhook-side errors: the bot does not raise them, but every code has its words.
  UNAUTHORIZED: (t) => t.errors.UNAUTHORIZED,
  UNPROCESSABLE: (t) => t.errors.UNPROCESSABLE,
  UNSUPPORTED_MEDIA_TYPE: (t) => t.errors.UNSUPPORTED_MEDIA_TYPE,
  PAYLOAD_TOO_LARGE: (t) => t.errors.PAYLOAD_TOO_LARGE,
  RATE_LIMITED: (t, e) => t.errors.RATE_LIMITED(Math.max(1, Math.ceil(e.retryAfterMs / 60_000))),
  ACCESS_ALREADY_DECIDED: (t, e) => t.errors.ACCESS_ALREADY_DECIDED(escapeHtml(e.user.full_name), t.statuses[e.user.status]),
  CAPACITY_FULL: (t, e) => t.errors.CAPACITY_FULL(escapeHtml(e.userName), e.load, e.capacity),
  INACTIVE_ASSIGNEE: (t, e) => t.errors.INACTIVE_ASSIGNEE(escapeHtml(e.userName)),
  UNDO_EXPIRED: (t) => t.errors.UNDO_EXPIRED,
  CONFIGURED_ADMIN: (t, e) => t.errors.CONFIGURED_ADMIN(escapeHtml(e.userName)),
  SERVICE_UNAVAILABLE: (t) => t.errors.SERVICE_UNAVAILABLE,
  INVITE_INVALID: (t, e) => t.errors.INVITE_INVALID[e.reason],
  ANALYSIS_IN_PROGRESS: (t, e) => t.errors.ANALYSIS_IN_PROGRESS(e.leadId),
  TRANSFER_REFUSED: (t, e) => t.errors.TRANSFER_REFUSED(transferRefusalLines(t, e)),
  INVALID_DEAL_TRANSITION: (t, e) => t.errors.INVALID_DEAL_TRANSITION[e.rule](
    t.deals.stages[e.from], t.deals.stages[e.to], e.expectedStage ? t.deals.stages[e.expectedStage] : ''),
  DEAL_CHANGED: (t, e) => t.errors.DEAL_CHANGED(e.dealId),
  INVALID_AMOUNT: (t, e) => t.errors.INVALID_AMOUNT[e.problem]({
    ...e.details, ...(e.details.text !== undefined ? { text: escapeHtml(e.details.text) } : {}),
  }),
};

/** §8: one line per failed condition ("• Score 0.42 is below 0.6."), in the order core checked them. */
export function transferRefusalLines(t: Texts, e: ErrorOf<'TRANSFER_REFUSED'>): string {
  return e.refusals.map((r) => t.transfer.refusals[r](
    r === 'not_qualified' ? t.stages[e.stage] : e.score === null ? '' : e.score.toFixed(2), String(e.minScore),
  )).join('\n');
}

/**
 * The words for a domain error, or for the database being away (§15:
 * "temporarily unavailable"); null for anything else, which the caller
 * answers with the generic apology and logs.
 */
export function errorText(t: Texts, err: unknown): string | null {
  const e = err instanceof DomainError ? err : asServiceUnavailable(err);
  if (!e) return null;
  return (ERROR_TEXTS[e.code] as (t: Texts, e: DomainError) => string)(t, e);
}

/** The error's code when errorText has words for it (for logs). */
export function errorCodeOf(err: unknown): ErrorCode | null {
  return (err instanceof DomainError ? err : asServiceUnavailable(err))?.code ?? null;
}
