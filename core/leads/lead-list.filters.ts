import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import type { Database, Db, User } from '../database.js';
import { ForbiddenError, ValidationError } from '../errors.js';
import { assertCan, can } from '../access/access-policy.js';
import {
  COLD_STAGES, LEAD_SOURCES, OPEN_STAGES, QUALITY_TIERS, type ColdStage, type LeadSource, type QualityTier,
} from './lead.constants.js';

/** The assignee filter value for leads nobody holds. */
export const UNASSIGNED = 'unassigned';
export type AssigneeFilter = number | typeof UNASSIGNED;

/**
 * Filters of a lead list (§2, §6). Values within one filter are alternatives
 * (OR), filters combine with AND; an absent or empty filter does not filter.
 * Every allowed value comes from the one enum in lead.constants.ts.
 */
export interface LeadListFilters {
  /** Absent or empty: the open stages (NEW, CONTACTED, QUALIFIED), as /leads always showed. */
  stages?: readonly ColdStage[];
  /** Leads without a score have no tier and only match when this filter is absent. */
  qualityTiers?: readonly QualityTier[];
  sources?: readonly LeadSource[];
  /** User ids and/or UNASSIGNED. Managers and admins only: agents always see only their own. */
  assignees?: readonly AssigneeFilter[];
}

const MAX_ASSIGNEES = 100;

function checkValues<T>(field: string, values: unknown, allowed: readonly T[]): void {
  if (values === undefined) return;
  if (!Array.isArray(values)) throw new ValidationError(field, 'must be a list');
  for (const v of values) {
    if (!allowed.includes(v as T)) throw new ValidationError(field, `must be one of ${allowed.join(', ')}`);
  }
}

/**
 * Checks filters that may come from anywhere (stored bot state, a query
 * string): every value must be one of its enum's (ValidationError naming the
 * field: stage, quality_tier, source, assignee), and only managers and
 * admins filter by assignee (ForbiddenError).
 */
export function checkLeadFilters(actor: User, filters: LeadListFilters): void {
  checkValues('stage', filters.stages, COLD_STAGES);
  checkValues('quality_tier', filters.qualityTiers, QUALITY_TIERS);
  checkValues('source', filters.sources, LEAD_SOURCES);
  const assignees: unknown = filters.assignees;
  if (assignees === undefined) return;
  if (!Array.isArray(assignees) || assignees.length > MAX_ASSIGNEES) {
    throw new ValidationError('assignee', `must be a list of at most ${MAX_ASSIGNEES}`);
  }
  for (const a of assignees) {
    if (a !== UNASSIGNED && !(Number.isSafeInteger(a) && a > 0)) {
      throw new ValidationError('assignee', `must be user ids or "${UNASSIGNED}"`);
    }
  }
  if (assignees.length && !can(actor, 'leads.all')) {
    throw new ForbiddenError('Only managers and admins filter by assignee');
  }
}

/** True when no filter narrows the default list (open leads). */
export const hasLeadFilters = (f: LeadListFilters): boolean =>
  Boolean(f.stages?.length || f.qualityTiers?.length || f.sources?.length || f.assignees?.length);

/** The WHERE condition of checked filters (the agent's own-leads rule is applied by the caller). */
export function leadFilterCondition(eb: ExpressionBuilder<Database, 'leads'>, f: LeadListFilters): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [eb('stage', 'in', f.stages?.length ? f.stages : OPEN_STAGES)];
  if (f.qualityTiers?.length) conditions.push(eb('quality_tier', 'in', f.qualityTiers));
  if (f.sources?.length) conditions.push(eb('source', 'in', f.sources));
  if (f.assignees?.length) {
    const ids = f.assignees.filter((a): a is number => a !== UNASSIGNED);
    conditions.push(eb.or([
      ...(ids.length ? [eb('assigned_to', 'in', ids)] : []),
      ...(f.assignees.includes(UNASSIGNED) ? [eb('assigned_to', 'is', null)] : []),
    ]));
  }
  return eb.and(conditions);
}

/**
 * Who a manager can pick in the assignee filter: active users, by name
 * (capped at `limit`, default 40 — an inline keyboard holds 100 buttons).
 * Throws ForbiddenError for agents and users who are not active.
 */
export async function listFilterAssignees(
  db: Db, actor: User, limit = 40,
): Promise<Pick<User, 'id' | 'full_name' | 'role'>[]> {
  assertCan(actor, 'leads.all');
  return db.selectFrom('users').select(['id', 'full_name', 'role'])
    .where('status', '=', 'active').orderBy('full_name').orderBy('id').limit(limit).execute();
}
