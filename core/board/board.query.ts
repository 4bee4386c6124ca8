import { sql } from 'kysely';
import type { Db, User } from '../database.js';
import { assertActive, can } from '../access/access-policy.js';
import { checkLeadFilters, leadFilterCondition, type LeadListFilters } from '../leads/lead-list.filters.js';
import type { QualityTier } from '../leads/lead.constants.js';
import { BOARD_STAGES, type BoardStage } from './board.rules.js';

/** One card on the board: what the Mini App draws (name, age, assignee, score badge) and the version a move must carry. */
export interface BoardCard {
  id: number;
  stage: BoardStage;
  name: string | null;
  company: string | null;
  createdAt: Date;
  assigneeId: number | null;
  assigneeName: string | null;
  aiScore: number | null;
  qualityTier: QualityTier | null;
  version: number;
}

export interface BoardColumn {
  stage: BoardStage;
  /** Every lead in the column the viewer may see (the cards may be fewer: CARDS_PER_COLUMN). */
  total: number;
  cards: BoardCard[];
}

export interface Board {
  columns: BoardColumn[];
  /** QUALIFIED holds more than this (config BOARD_WIP_LIMIT) → a warning on the board (§14). */
  wipLimit: number;
  wipExceeded: boolean;
}

/** Cards drawn per column, newest activity first; the column's header still counts them all. */
export const CARDS_PER_COLUMN = 100;

/**
 * The leads board (§14) as the viewer may see it (an agent: their own
 * leads; managers and admins: all), narrowed by the /leads filters (stage
 * filters pick columns). ONE query: a window function numbers and counts
 * each column's rows. Throws ForbiddenError (inactive viewer, an agent
 * filtering by assignee), ValidationError (a filter value).
 */
export async function getBoard(db: Db, viewer: User, p: { filters?: LeadListFilters; wipLimit: number }): Promise<Board> {
  assertActive(viewer);
  const filters = p.filters ?? {};
  checkLeadFilters(viewer, filters);
  const stages = BOARD_STAGES.filter((s) => !filters.stages?.length || filters.stages.includes(s));
  const rows = stages.length ? await db
    .selectFrom((eb) => eb.selectFrom('leads')
      .select(['id', 'stage', 'full_name', 'company', 'created_at', 'assigned_to', 'ai_score', 'quality_tier', 'version'])
      .select((e) => [
        e.selectFrom('users').select('full_name').whereRef('users.id', '=', 'leads.assigned_to').as('assignee_name'),
        sql<number>`row_number() over (partition by stage order by last_activity_at desc, id desc)`.as('n'),
        sql<number>`count(*) over (partition by stage)`.as('total'),
      ])
      .where('is_deleted', '=', false)
      .where((e) => leadFilterCondition(e, { ...filters, stages }))
      .$if(!can(viewer, 'leads.all'), (qb) => qb.where('assigned_to', '=', viewer.id))
      .as('b'))
    .selectAll()
    .where('n', '<=', CARDS_PER_COLUMN)
    .orderBy('n')
    .execute() : [];
  const columns = stages.map((stage): BoardColumn => {
    const mine = rows.filter((r) => r.stage === stage);
    return {
      stage,
      total: Number(mine[0]?.total ?? 0),
      cards: mine.map((r) => ({
        id: r.id, stage, name: r.full_name, company: r.company, createdAt: r.created_at,
        assigneeId: r.assigned_to, assigneeName: r.assignee_name, aiScore: r.ai_score, qualityTier: r.quality_tier,
        version: r.version,
      })),
    };
  });
  const qualified = columns.find((c) => c.stage === 'QUALIFIED')?.total ?? 0;
  return { columns, wipLimit: p.wipLimit, wipExceeded: qualified > p.wipLimit };
}
