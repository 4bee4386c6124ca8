import { assertActive, assertCan } from '../access/access-policy.js';
import type { CoreContext } from '../core-context.js';
import type { Lead, User } from '../database.js';
import { withQuota } from '../security/rate-limit.js';
import { changeLeadStage, rollbackLeadStage } from './cold-pipeline.service.js';
import { getLeadCard } from './lead-card.query.js';
import { deleteLead, listDeletedLeads, restoreLead } from './lead-deletion.service.js';
import { updateLeadFields, type LeadFieldChanges } from './lead-fields.service.js';
import { listHistory } from './lead-history.repository.js';
import { checkLeadFilters, listFilterAssignees, type LeadListFilters } from './lead-list.filters.js';
import { logContact } from './lead-note.service.js';
import { lostReasonFields, type LostReason } from './lost-reason.js';
import { getLeadForUser, listLeadsForUser, listRecentLeadsForUser } from './lead.repository.js';
import type { ColdStage } from './lead.constants.js';
import { searchLeads } from './lead-search.service.js';
import { listAssignableUsers, reassignLead } from './reassign.service.js';
import { lostUndoRecord, rememberUndo, undoLastAction } from './undo.service.js';
import { createTypedLead, readTypedContact } from './lead-entry.service.js';
import type { LeadInput } from './lead.service.js';

/**
 * The lead use cases every edge calls (the bot today; the API and the Mini
 * App next): each takes the viewer first and enforces rights, the §3
 * rules, the §16 quota and the undo window in core, so no edge re-implements
 * them. Thin on purpose: the rules live in the services they call.
 */
export function leadUseCases(ctx: CoreContext) {
  const { db, store, limiter } = ctx;
  /** Core's clock for the assignee's notice of a change (noticeLeadChange). */
  const at = () => ({ now: ctx.now() });
  /** One stage_transition (§16), given back when the change is refused or was a double tap. */
  const asTransition = async <T extends { replayed: boolean }>(viewer: User, fn: () => Promise<T>): Promise<T> =>
    withQuota(limiter, viewer.id, 'stage_transition', async () => {
      const result = await fn();
      if (result.replayed) await limiter.refund(viewer.id, 'stage_transition');
      return result;
    });

  const country = ctx.config.DEFAULT_COUNTRY;
  return {
    /** /new, a contact card: a lead typed in by the viewer (§2, §4, §16). Throws as createTypedLead. */
    create: (viewer: User, p: { input: Omit<LeadInput, 'actorUserId'>; assignToSelf: boolean }) =>
      createTypedLead(db, limiter, viewer, { ...p, defaultCountry: country }),
    /** A typed phone or email, and the lead that has it. Throws ValidationError('contact'), ForbiddenError. */
    readContact: (viewer: User, text: string) => {
      assertActive(viewer);
      return readTypedContact(db, text, country);
    },

    /** The card read model (lead-card.query.ts). Throws NotFoundError, ForbiddenError. */
    card: (viewer: User, leadId: number) => getLeadCard(db, viewer, leadId),

    /** The leads the viewer worked on last, most recent first. See listRecentLeadsForUser. */
    recent: (viewer: User, limit?: number) => listRecentLeadsForUser(db, viewer, limit),

    /** /leads (§2, §6): keyset pages of the leads the viewer works. See listLeadsForUser. */
    list: (viewer: User, p: { cursor?: string | null; limit?: number; filters?: LeadListFilters } = {}) =>
      listLeadsForUser(db, viewer, p),
    /** Throws ValidationError, ForbiddenError for filters the viewer may not use (agents and assignee). */
    checkFilters: (viewer: User, filters: LeadListFilters) => checkLeadFilters(viewer, filters),
    /** Who a manager can pick in the assignee filter. Throws ForbiddenError. */
    filterAssignees: (viewer: User) => listFilterAssignees(db, viewer),
    /** /find (§2). Throws ValidationError('query'), ForbiddenError. */
    search: (viewer: User, query: string, opts: { limit?: number } = {}) => searchLeads(db, viewer, query, opts),

    /**
     * One step forward (§3), as one stage_transition of the viewer (§16).
     * Returns { lead, replayed }. Throws as changeLeadStage, and RateLimitedError.
     */
    transition: (viewer: User, p: { leadId: number; to: ColdStage; expectedVersion: number; reason?: string | null }) =>
      asTransition(viewer, () => changeLeadStage(db, { ...p, actor: viewer, ...at() })),

    /**
     * ❌ Lost with a reason (§3), undoable for 30 s: returns the lead and the
     * undo token (null for a double tap, which changed nothing). The card's
     * version must still be current, so the undo puts back exactly what LOST
     * replaced. Throws as changeLeadStage, RateLimitedError.
     */
    markLost: async (
      viewer: User, p: { leadId: number; reason: LostReason; expectedVersion: number },
    ): Promise<{ lead: Lead; replayed: true; undoToken: null } | { lead: Lead; replayed: false; undoToken: string }> => {
      const before = await getLeadForUser(db, p.leadId, viewer);
      const { lead, replayed } = await asTransition(viewer, () => changeLeadStage(db, {
        leadId: p.leadId, expectedVersion: p.expectedVersion, to: 'LOST', actor: viewer, ...lostReasonFields(p.reason), ...at(),
      }));
      if (replayed) return { lead, replayed, undoToken: null };
      // The move checked expectedVersion under the row lock, so `before` is exactly what LOST replaced.
      return { lead, replayed, undoToken: await rememberUndo(store, lostUndoRecord(before, lead, viewer.id)) };
    },

    /** ↩️ One step back with a reason ≥ 10 characters (§3; managers, admins). Throws as rollbackLeadStage. */
    rollback: (viewer: User, p: { leadId: number; reason: string; expectedVersion: number }) =>
      asTransition(viewer, () => rollbackLeadStage(db, { ...p, actor: viewer, ...at() })),

    /** 📞 on a stale alert (§10): a contact logged without a stage change. Throws as logContact. */
    logContact: (viewer: User, p: { leadId: number; expectedVersion: number }) =>
      logContact(db, { ...p, actor: viewer, ...at() }),

    /** Edits contact and profile fields (§2, §4). Throws as updateLeadFields. */
    updateFields: (viewer: User, p: { leadId: number; expectedVersion: number; changes: LeadFieldChanges }) =>
      updateLeadFields(db, {
        ...p, actor: viewer, ...at(), ...(ctx.config.DEFAULT_COUNTRY ? { defaultCountry: ctx.config.DEFAULT_COUNTRY } : {}),
      }),

    /** Everyone a lead can go to, with load and capacity (managers, admins). Throws ForbiddenError. */
    assignableUsers: async (viewer: User) => {
      assertCan(viewer, 'leads.reassign');
      return listAssignableUsers(db);
    },

    /** 👤 Reassign (§4), undoable for 30 s. Throws as reassignLead. */
    reassign: async (viewer: User, p: { leadId: number; toUserId: number; expectedVersion: number }) => {
      const result = await reassignLead(db, { ...p, actor: viewer });
      const undoToken = await rememberUndo(store, {
        kind: 'reassign', leadId: result.lead.id, versionAfter: result.lead.version, actorId: viewer.id,
        previous: { assignedTo: result.fromUserId },
      });
      return { ...result, undoToken };
    },

    /** 🗑 Soft delete (§6, admins), undoable for 30 s. Throws as deleteLead. */
    delete: async (viewer: User, p: { leadId: number; expectedVersion: number }) => {
      const lead = await deleteLead(db, { ...p, actor: viewer, ...at() });
      const undoToken = await rememberUndo(store, {
        kind: 'delete', leadId: lead.id, versionAfter: lead.version, actorId: viewer.id, previous: null,
      });
      return { lead, undoToken };
    },
    /** ♻️ Restore (§6, admins). Throws as restoreLead. */
    restore: (viewer: User, p: { leadId: number; expectedVersion?: number }) => restoreLead(db, { ...p, actor: viewer, ...at() }),
    /** /deleted (§6, admins). Throws ForbiddenError, ValidationError('cursor'). */
    listDeleted: (viewer: User, p: { cursor?: string | null; limit?: number } = {}) => listDeletedLeads(db, viewer, p),

    /** ↩️ Undo within 30 s (§3–§6). Throws as undoLastAction. */
    undo: (viewer: User, token: string) => undoLastAction(db, store, { token, actor: viewer, ...at() }),

    /** 🕘 A page of the lead's history with actors' names (§5). Throws NotFoundError, ForbiddenError. */
    history: async (viewer: User, leadId: number, page: { limit: number; offset: number }) => {
      await getLeadForUser(db, leadId, viewer);
      return listHistory(db, leadId, page);
    },
  };
}
