import { assertPrincipalCan, type Principal } from '../access/access-policy.js';
import type { CoreContext } from '../core-context.js';
import {
  createFormSource, disableFormSource, findFormSource, findFormSourceBySlug, listFormSources, setSigningSecret,
  sourceNotFoundForUrl,
  webhookUrlFor, type NewFormSource,
} from './form-source.service.js';
import type { FormSource } from '../database.js';
import {
  authenticateSubmission, receiveSubmission, type DeliveryCredentials, type IncomingSubmission,
} from './intake.service.js';
import { findFailedSubmission, journalCounts, listFailedSubmissions, requeueSubmission } from './intake-journal.repository.js';
import { createJournalWriter } from './intake-journal.writer.js';
import { processDueSubmissions, type ProcessOptions, type ProcessResult } from './intake-worker.service.js';
import { recordSourceRefusal } from './source-health.service.js';
import { sourceProblemOf } from './source-health.rules.js';
import type { SourceCache } from './source-cache.js';
import { NotFoundError } from '../errors.js';
import type { User } from '../database.js';
import { assertCan } from '../access/access-policy.js';

/** Form sources and their webhooks (§11): admins in the bot, the operator on the command line. */
export function formSourceUseCases({ db, config }: CoreContext, sources: SourceCache) {
  return {
    /** A new source with its webhook URL (with the secret, where the provider cannot sign) and secret. */
    create: async (by: Principal, p: Omit<NewFormSource, 'createdBy'>) => {
      assertPrincipalCan(by, 'sources.manage');
      const created = await createFormSource(db, { ...p, createdBy: 'id' in by ? by.id : null });
      return { ...created, url: webhookUrlFor(config.PUBLIC_URL, created.source) };
    },
    list: async (by: Principal) => {
      assertPrincipalCan(by, 'sources.manage');
      return listFormSources(db);
    },
    /** One source by id or name. Throws NotFoundError('form_source'). */
    find: async (by: Principal, idOrName: number | string) => {
      assertPrincipalCan(by, 'sources.manage');
      return findFormSource(db, idOrName);
    },
    disable: async (by: Principal, idOrName: number | string) => {
      assertPrincipalCan(by, 'sources.manage');
      const source = await disableFormSource(db, idOrName);
      sources.forget(source);
      return source;
    },
    /** Webflow/HubSpot: the key their deliveries are signed with (null clears it). Throws NotFoundError, ValidationError. */
    setSigningSecret: async (by: Principal, idOrName: number | string, secret: string | null) => {
      assertPrincipalCan(by, 'sources.manage');
      const source = await setSigningSecret(db, idOrName, secret);
      sources.forget(source);
      return source;
    },
    /** The URL to paste into the form builder (withSecret: false for listings). */
    urlOf: (source: Parameters<typeof webhookUrlFor>[1], opts: { withSecret?: boolean } = {}) =>
      webhookUrlFor(config.PUBLIC_URL, source, opts),
  };
}

/**
 * Intake (§11): a form webhook delivery, from the request's raw parts, then
 * the journal's processing. Each step also keeps the source's health: a
 * 401, a run of 422s or a disabled source still called is reported to the
 * admins (at most once an hour per source, recordSourceRefusal); an accepted
 * delivery ends a run of 422s (in its journal write). Keeping it never
 * changes the answer: if it fails, it is logged.
 */
export function intakeUseCases({ db, config, logger, now }: CoreContext, sources: SourceCache) {
  const opts = config.DEFAULT_COUNTRY ? { defaultCountry: config.DEFAULT_COUNTRY } : {};
  const log = logger.child({ module: 'intake' });
  const journaled = new Set<() => void>();
  // One per core: the deliveries of this instance share statements under load.
  const journal = createJournalWriter(db);
  /** Records the refusal `err` of a delivery to `source` (if it says something about the source), then lets it go on. */
  const refused = async (source: FormSource, err: unknown): Promise<void> => {
    const problem = sourceProblemOf(err);
    if (!problem) return;
    try {
      const { alerted, streak } = await recordSourceRefusal(db, { formSourceId: source.id, problem, now: now() });
      if (alerted) log.warn({ form_source_id: source.id, problem, streak }, 'form_source_failing_reported');
    } catch (e) {
      log.warn({ err: e, form_source_id: source.id, problem }, 'form_source_health_not_recorded');
    }
  };
  return {
    /**
     * The active source behind a webhook slug (kept SOURCE_CACHE_TTL_MS). A
     * disabled one still being called is reported to the admins. Throws NotFoundError('form_source').
     */
    sourceBySlug: async (slug: string): Promise<FormSource> => {
      const cached = sources.get(slug);
      if (cached) return cached;
      const source = await findFormSourceBySlug(db, slug);
      if (source?.is_active) {
        sources.set(source);
        return source;
      }
      const err = sourceNotFoundForUrl();
      if (source) await refused(source, err);
      throw err;
    },
    /**
     * The URL a provider that signs it (HubSpot) called: the source's
     * public webhook URL plus the query string it was called with.
     */
    requestUrlOf: (source: FormSource, query: string) => `${webhookUrlFor(config.PUBLIC_URL, source, { withSecret: false })}${query}`,
    /**
     * The delivery's secret or signature (§11, §16), before the body is read;
     * a refusal counts against the source. Throws UnauthorizedError.
     */
    authenticate: async (source: FormSource, credentials: DeliveryCredentials): Promise<void> => {
      try {
        authenticateSubmission(source, credentials, undefined, now());
      } catch (err) {
        await refused(source, err);
        throw err;
      }
    },
    /**
     * See receiveSubmission: accepted deliveries are journaled (and onJournaled
     * listeners called); a 401, 404 or 422 counts against the source.
     */
    receive: async (incoming: IncomingSubmission) => {
      try {
        const result = await receiveSubmission(db, incoming, {
          ...opts, now: now(), journal: journal.write,
          onHealthNotRecorded: (e) => log.warn({ err: e, form_source_id: incoming.source.id }, 'form_source_health_not_recorded'),
        });
        if (result.status === 'accepted') for (const listener of journaled) listener();
        return result;
      } catch (err) {
        await refused(incoming.source, err);
        throw err;
      }
    },
    /** Calls `listener` after each submission this instance journals (its worker wakes). Returns the unsubscribe. */
    onJournaled: (listener: () => void): (() => void) => {
      journaled.add(listener);
      return () => { journaled.delete(listener); };
    },
    /**
     * One pass of the intake worker over the journal (processDueSubmissions):
     * per-submission results, [] when nothing was due. Jobs run it in a loop;
     * tests call it as the explicit "the worker has run" signal.
     */
    processDue: (p: Pick<ProcessOptions, 'limit' | 'concurrency'> = {}): Promise<ProcessResult[]> =>
      processDueSubmissions(db, { ...p, ...opts, logger: log, yieldTo: () => journal.waiting() > 0 }),
    /** Admins (§11): submissions set aside after failing, newest first. Throws ForbiddenError. */
    failed: async (by: Principal, page: { limit: number; beforeId?: number } = { limit: 10 }) => {
      assertPrincipalCan(by, 'sources.manage');
      return listFailedSubmissions(db, page);
    },
    /** Admins: one set-aside submission, or null once it is not (replayed). Throws ForbiddenError. */
    setAside: async (viewer: User, submissionId: number) => {
      assertCan(viewer, 'sources.manage');
      return (await findFailedSubmission(db, submissionId)) ?? null;
    },
    /** Admins and the operator: waiting and set-aside counts. Throws ForbiddenError. */
    journalCounts: async (by: Principal) => {
      assertPrincipalCan(by, 'sources.manage');
      return journalCounts(db);
    },
    /**
     * Admins and the operator (§11): queue a set-aside submission again, due
     * now, attempts reset. Throws ForbiddenError, NotFoundError('intake_submission')
     * when it is not (or no longer) set aside.
     */
    replay: async (by: Principal, submissionId: number): Promise<void> => {
      assertPrincipalCan(by, 'sources.manage');
      if (!(await requeueSubmission(db, submissionId))) throw new NotFoundError('intake_submission', submissionId);
      log.info({ submission_id: submissionId }, 'intake_submission_replayed');
      for (const listener of journaled) listener();
    },
  };
}
