import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The id of the request, update or job run that is doing the work now
 * (§15), carried through async calls without threading it through every
 * signature: the edges open a scope (`withCorrelationId`), and core reads it
 * where it leaves a trace — each outbox row keeps the id of what queued it,
 * so a delivery log line leads back to the request, update or job run.
 */
const scope = new AsyncLocalStorage<string>();

/** Runs fn with `id` as the correlation id of everything it does (e.g. 'req:3f2a…', 'upd:123', 'job:stale-leads:…'). */
export function withCorrelationId<T>(id: string, fn: () => T): T {
  return scope.run(id, fn);
}

/** The current correlation id, or null outside any scope. */
export function currentCorrelationId(): string | null {
  return scope.getStore() ?? null;
}
