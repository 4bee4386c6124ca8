import { assertActive } from '../access/access-policy.js';
import type { CoreContext } from '../core-context.js';
import type { Lead, User } from '../database.js';
import { AnalysisInProgressError, NotFoundError } from '../errors.js';
import { getLeadForUser } from '../leads/lead.repository.js';
import type { ListenFn } from '../outbox/outbox.use-cases.js';
import type { AiVerdict } from './ai.constants.js';
import { analyzeLead, type AiObserver, type AnalysisDeps, type AnalysisOutcome } from './ai-analysis.service.js';
import { createAuditWriter } from './ai-audit.writer.js';
import { bulkAnalyze } from './ai-bulk.service.js';
import { commentDisagreement, recordDisagreement } from './ai-feedback.service.js';
import { createModelClient, type ModelClient } from './ai-model.client.js';
import {
  claimRequests, completeRequest, nextRequestDueAt, pendingRequests, retryRequest,
} from './ai-requests.repository.js';
import { aiStats } from './ai-stats.query.js';
import { listScoreHistory } from './ai-score-history.query.js';

/** The channel the leads triggers NOTIFY on when they queue an analysis. */
export const AI_CHANNEL = 'crm_ai';

export interface AiHooks {
  /** Told about every analysis (metrics). */
  observe?: AiObserver | undefined;
  /** Replaces the SDK client (never in production; the bench's "bare" figures use the real one). */
  model?: ModelClient | undefined;
}

/**
 * AI analysis (§7) as every edge uses it: the card's 🤖 Analyze, bulk
 * analyze, the worker that scores new and newly qualified leads, the
 * disagreements and /aistats. One model client and one audit writer per core.
 */
export function aiUseCases(ctx: CoreContext, listen: ListenFn | undefined, hooks: AiHooks = {}) {
  const { db, store, config, logger, now } = ctx;
  const log = logger.child({ component: 'ai' });
  const model = hooks.model ?? createModelClient({
    apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL, timeoutMs: config.AI_TIMEOUT_MS,
  });
  const audit = createAuditWriter(db, log);
  const deps: AnalysisDeps = {
    db, limiter: ctx.limiter, config, logger: log, now, model, audit, observe: hooks.observe, pause: { until: 0 },
  };
  /** A lead's analysis runs once at a time (a double tap, a bulk and a tap together): the others are told it runs. */
  const busyMs = config.AI_TIMEOUT_MS + 10_000;
  const exclusive = async <T>(leadId: number, fn: () => Promise<T>): Promise<T> => {
    const key = `ai:busy:${leadId}`;
    if (!(await store.setIfAbsent(key, '1', busyMs))) throw new AnalysisInProgressError(leadId);
    try {
      return await fn();
    } finally {
      await store.delete(key);
    }
  };
  const manual = (viewer: User, leadId: number, trigger: 'manual' | 'bulk') => exclusive(leadId, async () => {
    assertActive(viewer);
    const lead = await getLeadForUser(db, leadId, viewer);
    const outcome = await analyzeLead(deps, { lead, trigger, actor: viewer, countFor: viewer });
    if (!outcome) throw new NotFoundError('lead', leadId);
    return outcome;
  });

  return {
    /** Whether a key is set (§15 /health: no paid call). */
    configured: () => model.configured,
    /**
     * 🤖 Analyze on a card (§7): one analysis of a lead the viewer may see,
     * counted as one of their RATE_LIMIT_AI_ANALYSES_PER_DAY (past it, and
     * past AI_DAILY_CAP, the rule-based score answers). Takes up to
     * AI_TIMEOUT_MS. Returns the outcome (the lead with its new score).
     * Throws NotFoundError, ForbiddenError, AnalysisInProgressError.
     */
    analyze: (viewer: User, leadId: number): Promise<AnalysisOutcome> => manual(viewer, leadId, 'manual'),
    /** §6 bulk analyze, per-lead results. Throws ValidationError('leadIds'), ForbiddenError. See bulkAnalyze. */
    bulkAnalyze: (viewer: User, p: { leadIds: readonly number[] }) => bulkAnalyze(viewer, p.leadIds,
      (leadId) => manual(viewer, leadId, 'bulk'),
      (leadId, err) => log.error({ err, lead_id: leadId, user_id: viewer.id }, 'bulk_item_failed')),
    /**
     * [👎 Disagree] (§7): the viewer's verdict on analysis `scoreId`, and
     * optionally a comment. Throws NotFoundError, ForbiddenError, ValidationError.
     */
    disagree: (viewer: User, p: { scoreId: number; verdict: AiVerdict; comment?: string | null }) => {
      assertActive(viewer);
      return recordDisagreement(db, viewer, p);
    },
    /** The comment to the viewer's verdict on `scoreId`. Throws NotFoundError (no verdict), ForbiddenError, ValidationError. */
    comment: (viewer: User, p: { scoreId: number; comment: string }) => {
      assertActive(viewer);
      return commentDisagreement(db, viewer, p);
    },
    /** A page of the lead's score history, newest first (§7). Throws NotFoundError('lead'), ForbiddenError. See listScoreHistory. */
    scores: (viewer: User, leadId: number, page: { limit: number; offset: number }) => {
      assertActive(viewer);
      return listScoreHistory(db, viewer, leadId, page);
    },
    /** /aistats (admins). Throws ForbiddenError. See aiStats. */
    stats: (viewer: User) => aiStats(db, viewer, { now: now(), cap: config.AI_DAILY_CAP }),

    // The worker (jobs/ai-analysis.worker.ts) drives these.
    /** Due requests for a worker pass (SKIP LOCKED, leased for leaseMs). */
    claimRequests: (p: { limit: number; leaseMs: number; token: string }) => claimRequests(db, { ...p, now: now() }),
    /**
     * Runs one claimed request: analyses its lead by the system (no user
     * count; AI_DAILY_CAP applies) unless the lead is deleted or closed
     * (TRANSFERRED, LOST: nothing left to score), then deletes the request.
     * A failure (the database) hands it back to be tried after `retryMs`;
     * after 5 attempts it is dropped (logged). Never throws.
     */
    runRequest: async (request: { id: number; lead_id: number; trigger: 'created' | 'qualified'; attempts: number },
      p: { token: string; retryMs: number }): Promise<AnalysisOutcome | null> => {
      try {
        const lead: Lead | undefined = await db.selectFrom('leads').selectAll()
          .where('id', '=', request.lead_id).where('is_deleted', '=', false).executeTakeFirst();
        if (!lead || lead.stage === 'TRANSFERRED' || lead.stage === 'LOST') {
          await completeRequest(db, { id: request.id, token: p.token });
          return null;
        }
        // The score and the request's deletion commit together (saveScore).
        const held = { id: request.id, token: p.token };
        return await exclusive(lead.id, () => analyzeLead(deps, { lead, trigger: request.trigger, actor: null, countFor: null, request: held }));
      } catch (err) {
        const fields = { err, lead_id: request.lead_id, request_id: request.id, attempts: request.attempts };
        if (err instanceof AnalysisInProgressError) {
          // Someone is analysing it by hand right now: that result stands; try once more shortly in case it fails.
          await retryRequest(db, { id: request.id, token: p.token, delayMs: p.retryMs, error: 'in progress' }).catch(() => undefined);
        } else if (request.attempts >= 5) {
          log.error(fields, 'ai_request_dropped');
          await completeRequest(db, { id: request.id, token: p.token }).catch(() => undefined);
        } else {
          log.warn(fields, 'ai_request_failed');
          await retryRequest(db, { id: request.id, token: p.token, delayMs: p.retryMs * request.attempts, error: String((err as Error).message) })
            .catch(() => undefined);
        }
        return null;
      }
    },
    nextRequestDueAt: () => nextRequestDueAt(db),
    pendingRequests: () => pendingRequests(db),
    /** Calls onRequested whenever a commit queued an analysis, on every instance; without LISTEN, the worker's poll alone. */
    onRequested: async (onRequested: () => void) => (listen ? listen(AI_CHANNEL, onRequested) : async () => {}),
    /** Writes every queued audit row (graceful stop, tests). */
    flushAudit: () => audit.flush(),
  };
}
