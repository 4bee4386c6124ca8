import { NotFoundError, UnauthorizedError, UnprocessableError } from '../errors.js';
import type { SourceProblem } from '../outbox/outbox.messages.js';

/**
 * When a form source counts as failing (§11), for the admins' alerts.
 * One unreadable submission is a person's typo; this many in a row, with no
 * accepted one between, is a form that sends what intake cannot use.
 */
export const UNPROCESSABLE_STREAK_ALERT = 3;

/** At most one alert per source in this many milliseconds, across every app instance. */
export const SOURCE_ALERT_INTERVAL_MS = 60 * 60_000;

/**
 * The problem a refused delivery reveals about its source, or null when it
 * says nothing about the source (413, 415, the database away…):
 * 401 → unauthorized (wrong secret or signature on an existing source),
 * 422 → unprocessable, 404 for a known slug → disabled (a disabled source
 * still being called). Pure.
 */
export function sourceProblemOf(err: unknown): SourceProblem | null {
  if (err instanceof UnauthorizedError) return 'unauthorized';
  if (err instanceof UnprocessableError) return 'unprocessable';
  if (err instanceof NotFoundError && err.entity === 'form_source') return 'disabled';
  return null;
}

/** Whether this refusal is worth an alert at all (before the hourly rule): a 422 only from the streak's threshold on. */
export function isAlertWorthy(problem: SourceProblem, unprocessableStreak: number): boolean {
  return problem !== 'unprocessable' || unprocessableStreak >= UNPROCESSABLE_STREAK_ALERT;
}
