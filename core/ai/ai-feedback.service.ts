import type { Db, User } from '../database.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { assertCanViewLead } from '../access/access-policy.js';
import { sanitizeText } from '../leads/lead.sanitize.js';
import { AI_COMMENT_LIMIT, AI_VERDICTS, type AiVerdict } from './ai.constants.js';

/**
 * [👎 Disagree] (§7): `viewer`'s verdict on one analysis (a lead_scores
 * row of a live lead they may see), with an optional comment (sanitized,
 * ≤ AI_COMMENT_LIMIT characters). One per person and analysis: a second
 * verdict replaces the first; a comment given later is added to it.
 * Returns the ids. Throws NotFoundError('lead'), ForbiddenError, ValidationError('verdict' | 'comment').
 */
export async function recordDisagreement(
  db: Db, viewer: User, p: { scoreId: number; verdict: AiVerdict; comment?: string | null },
): Promise<{ feedbackId: number; leadId: number }> {
  if (!AI_VERDICTS.includes(p.verdict)) throw new ValidationError('verdict', `must be one of ${AI_VERDICTS.join(', ')}`);
  const comment = p.comment === undefined ? undefined : sanitizeText(p.comment, AI_COMMENT_LIMIT);
  if (p.comment && [...p.comment.trim()].length > AI_COMMENT_LIMIT) {
    throw new ValidationError('comment', `at most ${AI_COMMENT_LIMIT} characters`);
  }
  const target = await db.selectFrom('lead_scores as s').innerJoin('leads as l', 'l.id', 's.lead_id')
    .select(['s.id', 'l.id as lead_id', 'l.assigned_to']).where('s.id', '=', p.scoreId).where('l.is_deleted', '=', false)
    .executeTakeFirst();
  if (!target) throw new NotFoundError('lead', p.scoreId);
  assertCanViewLead(viewer, { id: target.lead_id, assigned_to: target.assigned_to });
  const row = await db.insertInto('ai_feedback')
    .values({ lead_score_id: target.id, lead_id: target.lead_id, user_id: viewer.id, verdict: p.verdict, comment: comment ?? null })
    .onConflict((oc) => oc.columns(['lead_score_id', 'user_id']).doUpdateSet((eb) => ({
      verdict: eb.ref('excluded.verdict'),
      ...(comment !== undefined ? { comment: eb.ref('excluded.comment') } : {}),
      updated_at: new Date(),
    })))
    .returning('id').executeTakeFirstOrThrow();
  return { feedbackId: row.id, leadId: target.lead_id };
}

/** Adds (or replaces) the comment of `viewer`'s verdict on an analysis. Throws as recordDisagreement, NotFoundError when there is no verdict yet. */
export async function commentDisagreement(db: Db, viewer: User, p: { scoreId: number; comment: string }): Promise<void> {
  const mine = await db.selectFrom('ai_feedback').select('verdict')
    .where('lead_score_id', '=', p.scoreId).where('user_id', '=', viewer.id).executeTakeFirst();
  if (!mine) throw new NotFoundError('lead', p.scoreId);
  await recordDisagreement(db, viewer, { scoreId: p.scoreId, verdict: mine.verdict, comment: p.comment });
}
