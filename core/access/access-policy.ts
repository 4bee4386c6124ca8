import type { Lead, User } from '../database.js';
import { ForbiddenError } from '../errors.js';
import type { Role } from '../users/user.constants.js';

/**
 * Every role and ownership decision of the CRM (§1), in one place. Use
 * cases call these before acting; the card's buttons (availableActions)
 * are drawn from the same answers, so hiding a button is never the only
 * guard. Nothing outside this file compares roles.
 */

/** What a role may do beyond working its own leads. */
export const PERMISSIONS = {
  /** See and work every lead, not only one's own (§1). */
  'leads.all': ['manager', 'admin'],
  'leads.rollback': ['manager', 'admin'],
  'leads.reassign': ['manager', 'admin'],
  'leads.bulk': ['manager', 'admin'],
  /** Delete, restore and list deleted leads (§6). */
  'leads.delete': ['admin'],
  /** Undo someone else's Lost, Reassign or Delete within its window. */
  'leads.undoAnyone': ['admin'],
  'team.view': ['manager', 'admin'],
  'users.manage': ['admin'],
  'access.decide': ['admin'],
  'sources.manage': ['admin'],
  /** Failed Telegram messages: see and retry them. */
  'outbox.manage': ['admin'],
  /** Create invite links that make whoever opens them staff (§1). */
  'staff.invite': ['admin'],
  /** Campaign deep links and the texts the bot sends customers by itself (§12). */
  'channel.manage': ['admin'],
  /** Import leads from a CSV file; export a lead list as CSV. */
  'leads.import': ['manager', 'admin'],
  'leads.export': ['manager', 'admin'],
  /** /aistats: model calls, cost, fallbacks and disagreements (§7). */
  'ai.stats': ['admin'],
  /** The team's reports (§14): funnel, sources, tiers, manager performance. */
  'reports.view': ['manager', 'admin'],
  /** See and move every deal, not only one's own (§9). */
  'deals.all': ['manager', 'admin'],
  /** Give a transferred lead's deal to someone other than its assignee (§8). */
  'deals.assign': ['manager', 'admin'],
  /** Issue, list and revoke API keys for integrations (§16). */
  'api.keys': ['admin'],
  /** Subscribe outside URLs to events, see and replay their deliveries (§13). */
  'webhooks.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** Why a permission is refused: the message of the ForbiddenError. */
const REFUSALS: Record<Permission, string> = {
  'leads.all': 'Only managers and admins see every lead',
  'leads.rollback': 'Only managers and admins roll stages back',
  'leads.reassign': 'Only managers and admins reassign leads',
  'leads.bulk': 'Only managers and admins run bulk actions',
  'leads.delete': 'Only admins delete and restore leads',
  'leads.undoAnyone': 'Only the person who acted, or an admin, can undo',
  'team.view': 'Only managers and admins see the team',
  'users.manage': 'Only admins manage users',
  'access.decide': 'Only admins decide access',
  'sources.manage': 'Only admins manage form sources',
  'outbox.manage': 'Only admins manage undelivered messages',
  'staff.invite': 'Only admins invite staff',
  'channel.manage': 'Only admins manage campaign links and auto-replies',
  'leads.import': 'Only managers and admins import leads',
  'leads.export': 'Only managers and admins export leads',
  'ai.stats': 'Only admins see AI statistics',
  'reports.view': 'Only managers and admins see the team reports',
  'deals.all': 'Only managers and admins see every deal',
  'deals.assign': 'Only managers and admins choose who owns a deal',
  'api.keys': 'Only admins manage API keys',
  'webhooks.manage': 'Only admins manage outbound webhooks',
};

/** Automatic assignment (§4) gives new leads to agents only. */
export const AUTO_ASSIGNED_ROLES: readonly Role[] = ['agent'];
/** A manager may hand a lead to a working user (§4): agents and managers, never admins. */
export const ASSIGNABLE_ROLES: readonly Role[] = ['agent', 'manager'];
/** Who answers for a lead nobody holds (§4): managers and admins. */
export const LEAD_SUPERVISOR_ROLES: readonly Role[] = PERMISSIONS['leads.all'];

export const isActive = (user: Pick<User, 'status'>): boolean => user.status === 'active';

/** Whether leads can be given to the user (an active agent or manager, §4): "assign to me" is offered only then. */
export const canHoldLeads = (user: Pick<User, 'status' | 'role'>): boolean => isActive(user) && ASSIGNABLE_ROLES.includes(user.role);

/** Only registered, active users use the manager side of the bot (§1). Throws ForbiddenError. */
export function assertActive(user: Pick<User, 'status'>): void {
  if (!isActive(user)) throw new ForbiddenError('Your access is not active');
}

/** An active user whose role has the permission. */
export function can(user: Pick<User, 'status' | 'role'>, permission: Permission): boolean {
  return isActive(user) && (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

/** Throws ForbiddenError (inactive, or the role lacks the permission). */
export function assertCan(user: Pick<User, 'status' | 'role'>, permission: Permission): void {
  assertActive(user);
  if (!can(user, permission)) throw new ForbiddenError(REFUSALS[permission]);
}

/** Agents see the leads assigned to them; managers and admins see all (§1). */
export function canViewLead(user: Pick<User, 'id' | 'status' | 'role'>, lead: Pick<Lead, 'assigned_to'>): boolean {
  return can(user, 'leads.all') || (isActive(user) && lead.assigned_to === user.id);
}

/** Throws ForbiddenError unless canViewLead. */
export function assertCanViewLead(user: Pick<User, 'id' | 'status' | 'role'>, lead: Pick<Lead, 'id' | 'assigned_to'>): void {
  assertActive(user);
  if (!canViewLead(user, lead)) throw new ForbiddenError(`Lead #${lead.id} is not yours`);
}

/** §9: a deal's owner sees and works it; managers and admins see every deal. */
export function canViewDeal(user: Pick<User, 'id' | 'status' | 'role'>, deal: { owner_id: number }): boolean {
  return can(user, 'deals.all') || (isActive(user) && deal.owner_id === user.id);
}

/** Throws ForbiddenError unless canViewDeal. */
export function assertCanViewDeal(user: Pick<User, 'id' | 'status' | 'role'>, deal: { id: number; owner_id: number }): void {
  assertActive(user);
  if (!canViewDeal(user, deal)) throw new ForbiddenError(`Deal #${deal.id} is not yours`);
}

/**
 * Whoever runs the server's own command line (`npm run sources`): they hold
 * the machine, so operator actions are not a user's and need no role.
 */
export const OPERATOR = { operator: true } as const;
export type Principal = User | typeof OPERATOR;

/** assertCan for a principal: the operator may everything an admin may. */
export function assertPrincipalCan(principal: Principal, permission: Permission): void {
  if (principal !== OPERATOR) assertCan(principal as User, permission);
}
