import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../middlewares/request-logger.js';
import type { ApiVariables } from './api-auth.js';
import { validationHook } from './api-errors.js';
import { ErrorBody } from './api-schemas.js';

export type ApiEnv = { Variables: AppEnv['Variables'] & ApiVariables };

/** A sub-app of the API whose invalid requests answer 422 in the one error shape. */
export const apiApp = () => new OpenAPIHono<ApiEnv>({ defaultHook: validationHook as never });

const ERROR_TEXT: Record<number, string> = {
  401: 'No valid credentials (missing, expired, revoked or signed-out token; unknown or revoked key)',
  403: "The caller's role may not do this",
  404: 'No such resource (or deleted)',
  409: 'Conflict: a refused stage change, a changed lead, a full assignee',
  410: 'Gone',
  422: 'Invalid request (VALIDATION, with the field)',
  429: 'Rate limit reached; Retry-After says when to try again (seconds)',
};

/** OpenAPI responses for these error statuses, all in the one error shape. */
export const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, {
  description: ERROR_TEXT[code] ?? 'Error',
  content: { 'application/json': { schema: ErrorBody } },
  ...(code === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' as const }, description: 'seconds' } } } : {}),
}]));
/** The errors every signed-in call may get. */
export const AUTHED = [401, 422, 429] as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description, content: { 'application/json': { schema } },
});
export const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
export const bearer = [{ bearer: [] }];

/** Sends an already-shaped body (dates become ISO strings); the schemas above document it. */
export const send = (c: Context, payload: unknown, status = 200): any => c.json(payload as never, status as never);

/** "A,B" → ['A', 'B'] (absent or empty → undefined). */
export const list = (v: string | undefined): string[] | undefined => {
  const parts = v?.split(',').map((s) => s.trim()).filter(Boolean);
  return parts?.length ? parts : undefined;
};
