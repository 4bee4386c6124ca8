import { sql } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import { assertCanViewLead, canViewDeal } from '../access/access-policy.js';
import type { Db, Lead, User } from '../database.js';
import { NotFoundError } from '../errors.js';
import { availableActions, type LeadAction } from './cold-pipeline.service.js';
import type { SystemNoteCode } from './lead.constants.js';
import { cardAiOf, lastScoresOf, type LeadCardAi } from '../ai/ai-card.query.js';

/** How much of the last note a card shows, in characters (the whole note is one tap away). */
export const NOTE_PREVIEW_CHARS = 200;

/**
 * Everything a lead card shows (house style rule 18), for one viewer: the
 * lead, who holds it, the form it came from, the start of its last note,
 * how many notes and files it has, and what the viewer may do with it now.
 * The bot, the API and the Mini App render this; none of them assembles it.
 */
export interface LeadCard {
  lead: Lead;
  assignee: Pick<User, 'id' | 'full_name' | 'username'> | null;
  /** The form source's name (not its internal reference). */
  formSourceName: string | null;
  /** The start of the newest note; `truncated` when there is more of it. */
  lastNote: {
    id: number; body: string; system_code: SystemNoteCode | null; created_at: Date; author_name: string | null; truncated: boolean;
  } | null;
  noteCount: number;
  attachmentCount: number;
  /** The lead's Telegram conversation (§12: its customer wrote to the bot), if any. */
  conversationId: number | null;
  /** The latest AI analysis: who made it, the trend, the viewer's verdict (§7); null: never analysed. */
  ai: LeadCardAi | null;
  /** The next step, if set (issue 11): the lead's soonest waiting reminder, with whose it is. */
  nextReminder: { id: number; due_at: Date; body: string | null; user_id: number; user_name: string } | null;
  /** §8: the deal a TRANSFERRED lead became, when the viewer may see it (its owner, managers). */
  dealId: number | null;
  /** From availableActions(lead, viewer) (and 'deal' with dealId); each action enforces the same rules again. */
  actions: LeadAction[];
}

/**
 * The card of a live lead for `viewer` (§1, §3–§6) in ONE query: the lead
 * row joined with its assignee and form source, the last note (author's
 * name, first NOTE_PREVIEW_CHARS characters) and the note and attachment
 * counts, its conversation and its last two scores (the AI part) as subqueries. Rights are checked on the row (§16: an id from a
 * button is never trusted).
 * Throws NotFoundError('lead') for a missing or deleted lead, ForbiddenError.
 */
export async function getLeadCard(db: Db, viewer: User, leadId: number): Promise<LeadCard> {
  const row = await db.selectFrom('leads as l')
    .leftJoin('users as a', 'a.id', 'l.assigned_to')
    .leftJoin('form_sources as fs', 'fs.id', 'l.form_source_id')
    .selectAll('l')
    .select(['a.full_name as assignee_name', 'a.username as assignee_username', 'fs.name as form_source_name'])
    .select((eb) => [
      jsonObjectFrom(eb.selectFrom('lead_notes as n').leftJoin('users as u', 'u.id', 'n.author_id')
        .select([
          sql<string>`left(n.body, ${NOTE_PREVIEW_CHARS})`.as('body'),
          sql<boolean>`char_length(n.body) > ${NOTE_PREVIEW_CHARS}`.as('truncated'),
          'n.id', 'n.system_code', 'n.created_at', 'u.full_name as author_name',
        ])
        .whereRef('n.lead_id', '=', 'l.id').orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(1))
        .as('last_note'),
      eb.selectFrom('lead_notes as n').select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('n.lead_id', '=', 'l.id').as('note_count'),
      eb.selectFrom('lead_attachments as f').select((c) => c.fn.countAll<number>().as('n'))
        .whereRef('f.lead_id', '=', 'l.id').as('attachment_count'),
      eb.selectFrom('conversations as cv').select('cv.id').whereRef('cv.lead_id', '=', 'l.id')
        .orderBy('cv.last_message_at', 'desc').limit(1).as('conversation_id'),
      lastScoresOf(eb, viewer.id),
      jsonObjectFrom(eb.selectFrom('reminders as r').innerJoin('users as ru', 'ru.id', 'r.user_id')
        .select(['r.id', 'r.due_at', 'r.body', 'r.user_id', 'ru.full_name as user_name'])
        .whereRef('r.lead_id', '=', 'l.id').where('r.status', '=', 'scheduled').orderBy('r.due_at').limit(1))
        .as('next_reminder'),
      eb.selectFrom('deals as dl').select('dl.id').whereRef('dl.lead_id', '=', 'l.id').as('deal_id'),
      eb.selectFrom('deals as dl').select('dl.owner_id').whereRef('dl.lead_id', '=', 'l.id').as('deal_owner_id'),
    ])
    .where('l.id', '=', leadId).where('l.is_deleted', '=', false)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('lead', leadId);
  const {
    assignee_name, assignee_username, form_source_name, last_note, note_count, attachment_count, conversation_id, last_scores,
    next_reminder, deal_id, deal_owner_id, ...lead
  } = row;
  const dealId = deal_id && deal_owner_id && canViewDeal(viewer, { owner_id: deal_owner_id }) ? deal_id : null;
  assertCanViewLead(viewer, lead);
  return {
    lead,
    assignee: lead.assigned_to !== null && assignee_name !== null
      ? { id: lead.assigned_to, full_name: assignee_name, username: assignee_username }
      : null,
    formSourceName: form_source_name,
    lastNote: last_note
      ? {
        id: last_note.id, body: last_note.body, system_code: last_note.system_code, truncated: last_note.truncated,
        created_at: new Date(last_note.created_at as unknown as string), author_name: last_note.author_name,
      }
      : null,
    noteCount: Number(note_count ?? 0),
    attachmentCount: Number(attachment_count ?? 0),
    conversationId: conversation_id ?? null,
    ai: cardAiOf(last_scores),
    nextReminder: next_reminder ? { ...next_reminder, due_at: new Date(next_reminder.due_at as unknown as string) } : null,
    dealId,
    actions: [...availableActions(lead, viewer), ...(dealId ? ['deal' as const] : [])],
  };
}
