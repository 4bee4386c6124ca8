import { GrammyError } from 'grammy';

/**
 * Log fields for an error. A GrammyError carries its request payload —
 * message texts with leads' phones and emails (§16, house style rule 13) —
 * so only the method and Telegram's answer are kept.
 */
export function errorFields(err: unknown): Record<string, unknown> {
  return err instanceof GrammyError
    ? { method: err.method, error_code: err.error_code, description: err.description }
    : { err };
}
