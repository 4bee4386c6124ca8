import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { lostReasonFields, type LostReason } from './lost-reason.js';
import {
  bulkAssign, bulkDelete, bulkTransition, listBulkCandidates, type BulkRequest, type BulkStage,
} from './bulk.service.js';

/** Bulk actions on up to 100 leads (§6, managers and admins), with per-lead results. */
export function bulkUseCases({ db, limiter, logger, now }: CoreContext) {
  const request = (viewer: User, leadIds: readonly number[]): BulkRequest => ({
    leadIds, actor: viewer, limiter, now: now(),
    // The result only says "Unexpected error"; the log keeps what it was.
    onUnexpectedError: (leadId, err) => logger.error({ err, lead_id: leadId, user_id: viewer.id }, 'bulk_item_failed'),
  });
  return {
    /** The leads to pick from (keyset pages). Throws ForbiddenError. */
    candidates: (viewer: User, p: { cursor?: string | null; limit?: number } = {}) => listBulkCandidates(db, viewer, p),
    /** Each lead moved is one stage_transition (§16). See bulkTransition. */
    transition: (viewer: User, p: { leadIds: readonly number[]; to: BulkStage; reason?: LostReason }) =>
      bulkTransition(db, { ...request(viewer, p.leadIds), to: p.to, ...lostReasonFields(p.reason) }),
    /** See bulkAssign. */
    assign: (viewer: User, p: { leadIds: readonly number[]; toUserId: number }) =>
      bulkAssign(db, { ...request(viewer, p.leadIds), toUserId: p.toUserId }),
    /** Admins; the caller has asked for an explicit confirmation. See bulkDelete. */
    delete: (viewer: User, p: { leadIds: readonly number[] }) => bulkDelete(db, request(viewer, p.leadIds)),
  };
}
