import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { assertCan } from '../access/access-policy.js';
import type { Db, StaffInvite, User } from '../database.js';
import { InviteInvalidError, ValidationError } from '../errors.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { ROLES, type Role } from './user.constants.js';
import type { TelegramProfile } from './user.service.js';

/** How long an invite may stay unused, in hours: the choices /invite offers. */
export const INVITE_TTL_CHOICES_HOURS = [24, 24 * 7, 24 * 30] as const;
const MAX_TTL_HOURS = 24 * 90;

// 144 bits, base64url: 24 characters, well inside a /start payload (64 of A-Z a-z 0-9 _ -).
const newToken = () => randomBytes(18).toString('base64url');
const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * An admin creates a single-use invite (§1) for `role`, valid for
 * expiresInHours (1 h – 90 days). Returns the row and the token, which is
 * shown once (only its hash is stored). Throws ForbiddenError, ValidationError('role' | 'expiry').
 */
export async function createInvite(
  db: Db, actor: User, p: { role: Role; expiresInHours: number; now: Date },
): Promise<{ invite: StaffInvite; token: string }> {
  assertCan(actor, 'staff.invite');
  if (!ROLES.includes(p.role)) throw new ValidationError('role', `must be one of ${ROLES.join(', ')}`);
  if (!Number.isFinite(p.expiresInHours) || p.expiresInHours < 1 || p.expiresInHours > MAX_TTL_HOURS) {
    throw new ValidationError('expiry', `must be 1 to ${MAX_TTL_HOURS} hours`);
  }
  const token = newToken();
  const invite = await db.insertInto('staff_invites').values({
    token_hash: hashOf(token), role: p.role, created_by: actor.id,
    expires_at: new Date(p.now.getTime() + p.expiresInHours * 3_600_000),
  }).returningAll().executeTakeFirstOrThrow();
  return { invite, token };
}

export interface JoinResult {
  user: User;
  /** false: the person already was active staff, and the invite was left unused. */
  joined: boolean;
}

/**
 * Whoever opens an invite becomes staff with its role (§1), in one
 * transaction with the invite row locked, so a link opened twice at once
 * admits one person. A stranger (or a customer) becomes an active user; a
 * pending or rejected one is activated with the invite's role; active staff
 * keep what they have and the invite stays unused. The admin who made it
 * is told (outbox). Opening the same link again by the person it admitted
 * is harmless (a redelivered /start).
 * Throws InviteInvalidError ('unknown' | 'used' | 'expired' | 'revoked' | 'deactivated').
 */
export async function joinByInvite(
  db: Db, profile: TelegramProfile, token: string, opts: { now: Date; defaultCapacity: number },
): Promise<JoinResult> {
  return inTransaction(db, async (trx) => {
    const invite = await trx.selectFrom('staff_invites').selectAll()
      .where('token_hash', '=', hashOf(token)).forUpdate().executeTakeFirst();
    if (!invite) throw new InviteInvalidError('unknown');
    const existing = await trx.selectFrom('users').selectAll().where('telegram_id', '=', profile.telegramId)
      .forUpdate().executeTakeFirst();
    if (invite.used_at) {
      if (existing && existing.id === invite.used_by) return { user: existing, joined: false };
      throw new InviteInvalidError('used');
    }
    if (invite.revoked_at) throw new InviteInvalidError('revoked');
    if (invite.expires_at.getTime() <= opts.now.getTime()) throw new InviteInvalidError('expired');
    if (existing?.status === 'active') return { user: existing, joined: false };
    if (existing?.status === 'inactive') throw new InviteInvalidError('deactivated');

    const fullName = [...profile.fullName].slice(0, 256).join('') || `user ${profile.telegramId}`;
    const user = existing
      ? await trx.updateTable('users')
        .set({ role: invite.role, status: 'active', username: profile.username, full_name: fullName, updated_at: sql`now()` })
        .where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
      : await trx.insertInto('users').values({
        telegram_id: profile.telegramId, username: profile.username, full_name: fullName,
        role: invite.role, status: 'active', capacity: opts.defaultCapacity, language: profile.language,
      }).returningAll().executeTakeFirstOrThrow();
    await trx.updateTable('staff_invites').set({ used_at: sql`now()`, used_by: user.id }).where('id', '=', invite.id).execute();
    if (invite.created_by !== null) {
      await queueMessage(trx, { user: invite.created_by }, { kind: 'invite_used', userId: user.id, role: invite.role });
    }
    return { user, joined: true };
  });
}
