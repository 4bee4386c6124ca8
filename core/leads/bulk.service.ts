import type { Kysely } from 'kysely';
import type { Database, Lead, User } from '../database.js';
import { DomainError, ForbiddenError, ReasonRequiredError, ValidationError } from '../errors.js';
import { withQuota, type RateLimitedAction, type RateLimiter } from '../security/rate-limit.js';
import { assertCan } from '../access/access-policy.js';
import { deleteLead, assertCanDeleteLeads } from './lead-deletion.service.js';
import { transitionStage } from './cold-pipeline.service.js';
import { listLeadsForUser, type ListedLead, type Page } from './lead.repository.js';
import type { LostReasonCode } from './lead.constants.js';
import { sanitizeText } from './lead.sanitize.js';
import { reassignLead } from './reassign.service.js';

/** §6: at most this many leads per bulk action. */
export const BULK_LIMIT = 100;

/** The stages a bulk stage change may target (§6; TRANSFERRED only via §8, rollbacks one by one). */
export const BULK_STAGES = ['CONTACTED', 'QUALIFIED', 'LOST'] as const;
export type BulkStage = (typeof BULK_STAGES)[number];

/**
 * §6, exactly: one entry per distinct lead id, in the order given; the
 * English `message` is what the API returns. `error` is the refusal itself,
 * so an edge can say it in the reader's language.
 */
export interface BulkItemResult { id: number; status: 'ok' | 'error'; message: string; error?: DomainError }
export interface BulkResult { processed: number; succeeded: number; failed: number; results: BulkItemResult[] }

export interface BulkRequest {
  leadIds: readonly number[];
  actor: User;
  /** §16: a bulk stage change counts every lead it changes as one stage_transition of the actor. */
  limiter: RateLimiter;
  /** Told about failures that are not domain errors (bugs, the database), which the result only calls "Unexpected error". */
  onUnexpectedError?: (leadId: number, err: unknown) => void;
  /** Core's clock, for the assignees' notices (noticeLeadChange). */
  now?: Date;
}

/** Bulk actions are for managers and admins (§1, §6). Throws ForbiddenError. */
export const assertCanBulk = (actor: User): void => assertCan(actor, 'leads.bulk');

/**
 * The leads a bulk action can pick from: every open lead, newest first, in
 * keyset pages (§6, as listLeadsForUser). Throws ForbiddenError for agents.
 */
export async function listBulkCandidates(
  db: Kysely<Database>, actor: User, p: { cursor?: string | null; limit?: number } = {},
): Promise<Page<ListedLead>> {
  assertCanBulk(actor);
  return listLeadsForUser(db, actor, p);
}

/** Distinct positive ids; throws ValidationError('leadIds') for none, a bad id or more than BULK_LIMIT. */
export function checkBulkIds(leadIds: readonly number[]): number[] {
  const ids = [...new Set(leadIds)];
  if (ids.length === 0) throw new ValidationError('leadIds', 'select at least one lead');
  if (ids.length > BULK_LIMIT) throw new ValidationError('leadIds', `at most ${BULK_LIMIT} leads per bulk action (got ${ids.length})`);
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw new ValidationError('leadIds', 'ids must be positive integers');
  return ids;
}

/**
 * Runs `apply` for each lead (each call opens its own transaction, so one
 * bad lead never aborts the others) after the whole-batch checks: ids and
 * `authorize` (the actor's role). With `quota`, each lead is one use of it
 * (§16), given back when the lead is refused; once the limit is reached the
 * remaining leads are reported as rate-limited. Never throws for one item
 * (house style rule 6).
 */
async function runBulk(
  req: BulkRequest, authorize: () => void, apply: (leadId: number) => Promise<string>,
  quota?: RateLimitedAction,
): Promise<BulkResult> {
  const ids = checkBulkIds(req.leadIds);
  authorize();
  const results: BulkItemResult[] = [];
  for (const id of ids) {
    try {
      const message = quota ? await withQuota(req.limiter, req.actor.id, quota, () => apply(id)) : await apply(id);
      results.push({ id, status: 'ok', message });
    } catch (err) {
      if (!(err instanceof DomainError)) req.onUnexpectedError?.(id, err);
      results.push(err instanceof DomainError
        ? { id, status: 'error', message: err.message, error: err }
        : { id, status: 'error', message: 'Unexpected error' });
    }
  }
  const succeeded = results.filter((r) => r.status === 'ok').length;
  return { processed: results.length, succeeded, failed: results.length - succeeded, results };
}

/**
 * Moves up to 100 leads to CONTACTED, QUALIFIED or LOST (§6, managers and
 * admins), each by the single-lead rule (transitionStage: one step forward,
 * LOST with the reason, history, activity touched). A lead the rules refuse
 * is reported ("Cannot move from NEW to QUALIFIED. Expected CONTACTED").
 * `db` must be the root handle. Throws only for the whole batch:
 * ValidationError('leadIds' | 'stage' | 'reasonCode'), ReasonRequiredError
 * (LOST without a reason or a preset reasonCode), ForbiddenError (agents). Each lead moved is one stage_transition
 * (§16); past the limit, the rest are reported as rate-limited.
 */
export async function bulkTransition(
  db: Kysely<Database>, req: BulkRequest & { to: BulkStage; reason?: string | null; reasonCode?: LostReasonCode | null },
): Promise<BulkResult> {
  if (!BULK_STAGES.includes(req.to)) throw new ValidationError('stage', `must be one of ${BULK_STAGES.join(', ')}`);
  const reasonCode = req.reasonCode ?? null;
  const reason = reasonCode ? null : sanitizeText(req.reason);
  if (req.to === 'LOST' && !reason && !reasonCode) throw new ReasonRequiredError(1);
  return runBulk(req, () => assertCanBulk(req.actor), async (leadId) => {
    const lead = await transitionStage(db, { leadId, to: req.to, actor: req.actor, reason, reasonCode, ...(req.now ? { now: req.now } : {}) });
    return `Moved to ${lead.stage}`;
  }, 'stage_transition');
}

/**
 * Assigns up to 100 leads to one person (§6, managers and admins), each by
 * the single-lead rule (reassignLead: an active agent or manager, their
 * fresh load checked against capacity under a lock, per lead — so the batch
 * fills them up to capacity and reports the rest). `db` must be the root
 * handle. Throws only for the whole batch: ValidationError('leadIds'),
 * ForbiddenError (agents).
 */
export async function bulkAssign(
  db: Kysely<Database>, req: BulkRequest & { toUserId: number },
): Promise<BulkResult> {
  return runBulk(req, () => assertCanBulk(req.actor), async (leadId) => {
    const { toUser } = await reassignLead(db, { leadId, toUserId: req.toUserId, actor: req.actor });
    return `Assigned to ${toUser.full_name}`;
  });
}

/**
 * Soft-deletes up to 100 leads (§6, admins only; the bot asks for an
 * explicit confirmation first), each by the single-lead rule (deleteLead).
 * `db` must be the root handle. Throws only for the whole batch:
 * ValidationError('leadIds'), ForbiddenError (not an admin).
 */
export async function bulkDelete(db: Kysely<Database>, req: BulkRequest): Promise<BulkResult> {
  return runBulk(req, () => assertCanDeleteLeads(req.actor), async (leadId) => {
    await deleteLead(db, { leadId, actor: req.actor, ...(req.now ? { now: req.now } : {}) });
    return 'Deleted';
  });
}
