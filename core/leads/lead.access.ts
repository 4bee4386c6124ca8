import { ForbiddenError } from '../errors.js';
import type { Lead, User } from '../database.js';
import { isManagerRole } from '../users/user.constants.js';

/** Only registered, active users act on leads (§1). Throws ForbiddenError. */
export function assertActiveUser(user: User): void {
  if (user.status !== 'active') throw new ForbiddenError('Your access is not active');
}

/** Agents see the leads assigned to them; managers and admins see all (§1). */
export function canViewLead(user: User, lead: Pick<Lead, 'assigned_to'>): boolean {
  return user.status === 'active' && (isManagerRole(user.role) || lead.assigned_to === user.id);
}

/** Throws ForbiddenError unless canViewLead. */
export function assertCanViewLead(user: User, lead: Pick<Lead, 'id' | 'assigned_to'>): void {
  assertActiveUser(user);
  if (!canViewLead(user, lead)) throw new ForbiddenError(`Lead #${lead.id} is not yours`);
}
