import { assertActive } from '../access/access-policy.js';
import type { Db, Lead, User } from '../database.js';
import { ValidationError } from '../errors.js';
import type { RateLimiter } from '../security/rate-limit.js';
import { withQuota } from '../security/rate-limit.js';
import { findDuplicateLead } from './lead.repository.js';
import { normalizeEmail, normalizePhone } from './lead.sanitize.js';
import { createLead, type LeadInput } from './lead.service.js';

/**
 * A contact typed by staff (/new, §2): an email when it has an "@", else a
 * phone (E.164; DEFAULT_COUNTRY for numbers without a country code), and the
 * live lead that already has it (§4), if any.
 * Throws ValidationError('contact') for text that is neither.
 */
export async function readTypedContact(
  db: Db, text: string, defaultCountry?: string,
): Promise<{ phone: string | null; email: string | null; existingLeadId: number | null }> {
  const value = text.trim();
  let contact: { phone: string | null; email: string | null };
  try {
    contact = value.includes('@')
      ? { phone: null, email: normalizeEmail(value) }
      : { phone: normalizePhone(value, defaultCountry), email: null };
  } catch {
    throw new ValidationError('contact', 'is neither a phone number nor an email');
  }
  if (!contact.phone && !contact.email) throw new ValidationError('contact', 'is empty');
  const duplicate = await findDuplicateLead(db, contact);
  return { ...contact, existingLeadId: duplicate?.id ?? null };
}

/**
 * A lead typed in by staff (/new, a contact card; §2, §4, §16): one use of
 * the viewer's lead_creation quota (RATE_LIMIT_LEAD_CREATIONS_PER_HOUR,
 * given back when the creation is refused), created like every lead —
 * the §4 duplicate rule, and either the §4 assignment or the viewer
 * ("assign to me"). Throws RateLimitedError, DuplicateLeadError,
 * ValidationError, ForbiddenError, InactiveAssigneeError, CapacityFullError.
 */
export async function createTypedLead(
  db: Db, limiter: RateLimiter, viewer: User,
  p: { input: Omit<LeadInput, 'actorUserId'>; assignToSelf: boolean; defaultCountry?: string | undefined },
): Promise<Lead> {
  assertActive(viewer);
  return withQuota(limiter, viewer.id, 'lead_creation', () => createLead(db, { ...p.input, actorUserId: viewer.id }, {
    ...(p.defaultCountry ? { defaultCountry: p.defaultCountry } : {}),
    ...(p.assignToSelf ? { assignTo: viewer.id } : {}),
  }));
}
