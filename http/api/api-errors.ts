import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from '@hono/zod-openapi';
import { asServiceUnavailable, DomainError } from '../../core/index.js';
import type { Logger } from '../../logger.js';
import { ERROR_STATUS } from '../error-handler.js';

/**
 * The API's one error shape, `{error, message, …data}` (api-schemas
 * ErrorBody), from the same code → status table as the rest of the
 * server. The one exception is fixed by §4: a duplicate lead answers
 * exactly `{"message": "Duplicate lead", "existing_lead_id": N}`.
 */
export function apiErrorHandler(root: Logger): ErrorHandler {
  return function handleApiError(err: Error, c: Context) {
    const domain = err instanceof DomainError ? err : asServiceUnavailable(err);
    if (domain) {
      const mapping = ERROR_STATUS[domain.code] as {
        status: ContentfulStatusCode; extras?: (e: DomainError) => Record<string, unknown>; retryAfterSeconds?: (e: DomainError) => number;
      };
      const retryAfter = mapping.retryAfterSeconds?.(domain);
      if (retryAfter !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
      const extras = Object.fromEntries(Object.entries(mapping.extras?.(domain) ?? {}).filter(([, v]) => v !== undefined));
      if (domain.code === 'DUPLICATE_LEAD') return c.json({ message: 'Duplicate lead', ...extras }, 409);
      return c.json({ error: domain.code, message: domain.message, ...extras }, mapping.status);
    }
    if (err instanceof HTTPException) {
      return c.json({ error: err.status === 401 ? 'UNAUTHORIZED' : 'VALIDATION', message: err.message || 'Request failed' }, err.status);
    }
    (c.get('logger') ?? root).error({ err }, 'api_unhandled_error');
    return c.json({ message: 'Internal server error' }, 500);
  };
}

/** The zod-openapi hook: a request that does not match its schema → 422 VALIDATION naming the first bad field. */
export function validationHook(result: { success: boolean; error?: z.ZodError }, c: Context) {
  if (result.success || !result.error) return undefined;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  return c.json({ error: 'VALIDATION', message: `${field}: ${issue?.message ?? 'invalid'}`, field }, 422);
}
