import type { Db, Lead, NewLead, User } from '../../core/database.js';
import type { Role, UserStatus } from '../../core/users/user.constants.js';

let telegramSeq = 1_000_000;

/** Inserts a user; active agent with capacity 20 unless told otherwise. */
export async function makeUser(
  db: Db,
  p: { role?: Role; status?: UserStatus; capacity?: number; isAvailable?: boolean; name?: string; language?: 'en' | 'uk'; telegramId?: number } = {},
): Promise<User> {
  const telegramId = p.telegramId ?? ++telegramSeq;
  return db.insertInto('users').values({
    telegram_id: telegramId,
    username: null,
    full_name: p.name ?? `User ${telegramId}`,
    role: p.role ?? 'agent',
    status: p.status ?? 'active',
    capacity: p.capacity ?? 20,
    language: p.language ?? 'en',
    is_available: p.isAvailable ?? true,
  }).returningAll().executeTakeFirstOrThrow();
}

let contactSeq = 0;

/**
 * Inserts a lead directly (no assignment, no notifications) for tests that
 * need a lead in a given state; a unique email unless one is given.
 */
export async function makeLead(db: Db, p: Partial<NewLead> = {}): Promise<Lead> {
  contactSeq += 1;
  return db.insertInto('leads').values({
    source: 'WEB',
    full_name: `Lead ${contactSeq}`,
    email: `lead${contactSeq}-${process.pid}@example.com`,
    phone: null,
    company: null, position: null, intent: null, pain_points: null, business_domain: null,
    ai_score: null, ai_recommendation: null, ai_reason: null, ai_analyzed_at: null, quality_tier: null,
    assigned_to: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null,
    form_source_id: null, form_reference: null, lost_reason: null, deleted_by: null,
    // A deleted lead always says when (a check constraint since 2026_11_22_000100).
    deleted_at: p.is_deleted ? new Date() : null,
    ...p,
  }).returningAll().executeTakeFirstOrThrow();
}
