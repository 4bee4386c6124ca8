import type { CoreContext } from '../core-context.js';
import type { User } from '../database.js';
import { assertActive } from '../access/access-policy.js';
import { ValidationError } from '../errors.js';
import type { LeadListFilters } from '../leads/lead-list.filters.js';
import { getLeadForUser } from '../leads/lead.repository.js';
import type { leadUseCases } from '../leads/leads.use-cases.js';
import type { LostReason } from '../leads/lost-reason.js';
import { reportDataVersion } from '../reports/report.repository.js';
import { getBoard } from './board.query.js';
import { BOARD_TARGETS, moveKind, type BoardTarget } from './board.rules.js';

export interface BoardMove {
  leadId: number;
  to: BoardTarget;
  /** The card's version as drawn: a lead changed meanwhile is refused (LeadChangedError). */
  expectedVersion: number;
  /** LOST: a preset (code) or typed reason; rollback: text of ≥ 10 characters. */
  lostReason?: LostReason;
  reason?: string;
}

/**
 * The kanban board of the Mini App (§14). A drop is the same use case as a
 * button in the bot — core.leads.transition / rollback / markLost, with
 * their rights, §3 rules, quota and notices — so no rule exists twice.
 */
export function boardUseCases(ctx: CoreContext, leads: ReturnType<typeof leadUseCases>) {
  const { db, config } = ctx;
  return {
    /** The columns and cards the viewer may see. Throws as getBoard. */
    board: (viewer: User, filters: LeadListFilters = {}) => getBoard(db, viewer, { filters, wipLimit: config.BOARD_WIP_LIMIT }),

    /**
     * Moves a card (§3): forward one stage, back one (rollback, reason), or
     * to LOST (reason). Returns the lead after the move. Throws
     * ValidationError('to'), NotFoundError, ForbiddenError, LeadChangedError,
     * InvalidTransitionError, ReasonRequiredError, RateLimitedError.
     */
    move: async (viewer: User, m: BoardMove) => {
      if (!BOARD_TARGETS.includes(m.to)) throw new ValidationError('to', `must be one of ${BOARD_TARGETS.join(', ')}`);
      const lead = await getLeadForUser(db, m.leadId, viewer);
      switch (moveKind(lead.stage, m.to)) {
        case 'lost':
          if (!m.lostReason) return (await leads.transition(viewer, { leadId: m.leadId, to: 'LOST', expectedVersion: m.expectedVersion })).lead;
          return (await leads.markLost(viewer, { leadId: m.leadId, reason: m.lostReason, expectedVersion: m.expectedVersion })).lead;
        case 'rollback':
          return (await leads.rollback(viewer, { leadId: m.leadId, reason: m.reason ?? '', expectedVersion: m.expectedVersion })).lead;
        case 'forward':
          return (await leads.transition(viewer, { leadId: m.leadId, to: m.to, expectedVersion: m.expectedVersion })).lead;
      }
    },

    /** Changes whenever any lead does: the board polls it and redraws on a change. Throws ForbiddenError (inactive). */
    version: (viewer: User) => {
      assertActive(viewer);
      return reportDataVersion(db);
    },
  };
}
