import { ServiceUnavailableError } from './errors.js';

/** How long callers are told to wait before trying again while the database is down, in seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// SQLSTATEs that mean "the database is not there right now", not "your query is wrong":
// class 08 connection exceptions, shutdown/startup (57P01–57P03), a cancelled
// statement (57014: our statement_timeout), too many connections (53300).
const UNAVAILABLE_SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '57014', '53300']);
const UNAVAILABLE_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres reports these as plain Errors without a code.
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect', 'connection terminated', 'query read timeout',
  'connection timeout', 'client has encountered a connection error', 'cannot use a pool after calling end',
];

/**
 * The error as a ServiceUnavailableError when it means the database is
 * down, restarting or not answering in time (§15: intake answers 503 with
 * Retry-After, the bot says it is temporarily unavailable); else null.
 * Looks through `cause` chains (Kysely and our own wrappers keep them).
 */
export function asServiceUnavailable(err: unknown): ServiceUnavailableError | null {
  if (err instanceof ServiceUnavailableError) return err;
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message.toLowerCase() : '';
    if ((typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_NET_CODES.has(code)))
      || UNAVAILABLE_MESSAGES.some((m) => text.includes(m))) {
      return new ServiceUnavailableError('database', DATABASE_RETRY_AFTER_SECONDS, { cause: err });
    }
  }
  return null;
}
