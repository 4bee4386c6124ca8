import { sql } from 'kysely';
import { DuplicateLeadError, ValidationError } from '../errors.js';
import type { Db, Lead, NewLead } from '../database.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { pickAssignee } from './assignment.service.js';
import { claimAssignee } from './reassign.service.js';
import { LEAD_SOURCES, PHONE_TEXT_LIMIT, type LeadSource } from './lead.constants.js';
import { recordHistories, recordHistory } from './lead-history.repository.js';
import { findDuplicateLead, getLead } from './lead.repository.js';
import { isUsablePhoneText } from './lead.sanitize.js';
import { normalizeEmail, normalizePhone, sanitizeText } from './lead.sanitize.js';

export interface LeadInput {
  source: LeadSource;
  fullName?: string | null;
  /** Normalised to E.164; text that is not a phone number is refused (ValidationError('phone')). */
  phone?: string | null;
  /**
   * Phone text the caller could not read as a number (intake: as the person
   * typed it), kept on the lead as unverified (§11); ignored when `phone` is
   * set. With ≥ 5 digits it counts as the lead's contact.
   */
  phoneUnverified?: string | null;
  email?: string | null;
  company?: string | null;
  position?: string | null;
  intent?: string | null;
  painPoints?: string | null;
  businessDomain?: string | null;
  utm?: { source?: string | null; medium?: string | null; campaign?: string | null; content?: string | null; term?: string | null };
  formSourceId?: number | null;
  formReference?: string | null;
  /** Who created it; null/absent: the system (intake). */
  actorUserId?: number | null;
}

const short = (v: string | null | undefined) => sanitizeText(v, 256);

type PreparedLead = NewLead & { phone: string | null; phone_unverified: string | null; email: string | null };

/**
 * Validates and normalises input into a row (§2). A lead needs a contact — a
 * phone, an email or unverified phone text with ≥ 5 digits — unless its
 * source is MESSAGE. Throws ValidationError('source' | 'phone' | 'email' | 'contact').
 */
export function prepareLead(input: LeadInput, defaultCountry?: string): PreparedLead {
  if (!LEAD_SOURCES.includes(input.source)) throw new ValidationError('source', `must be one of ${LEAD_SOURCES.join(', ')}`);
  const phone = normalizePhone(input.phone, defaultCountry);
  const email = normalizeEmail(input.email);
  // A readable number makes the typed text moot.
  const phoneUnverified = phone ? null : sanitizeText(input.phoneUnverified, PHONE_TEXT_LIMIT);
  if (!phone && !email && !isUsablePhoneText(phoneUnverified) && input.source !== 'MESSAGE') {
    throw new ValidationError('contact', 'a phone or an email is required');
  }
  return {
    source: input.source,
    full_name: short(input.fullName),
    phone,
    phone_unverified: phoneUnverified,
    email,
    company: sanitizeText(input.company),
    position: sanitizeText(input.position),
    intent: sanitizeText(input.intent),
    pain_points: sanitizeText(input.painPoints),
    business_domain: short(input.businessDomain),
    utm_source: short(input.utm?.source),
    utm_medium: short(input.utm?.medium),
    utm_campaign: short(input.utm?.campaign),
    utm_content: short(input.utm?.content),
    utm_term: short(input.utm?.term),
    form_source_id: input.formSourceId ?? null,
    form_reference: sanitizeText(input.formReference, 512),
  };
}

export interface CreateLeadOptions {
  defaultCountry?: string;
  /**
   * Give the lead to this user instead of the §4 rule (a manager typing in a
   * lead they will work): they must be an active agent or manager with room,
   * checked under a lock on their row. Throws InactiveAssigneeError,
   * CapacityFullError, NotFoundError('user').
   */
  assignTo?: number;
}

/**
 * Creates a lead from any channel (§2, §4, §5): normalised contacts,
 * sanitised text, duplicate check on the normalised phone and email only, assignment by free capacity
 * (or to opts.assignTo), CREATED (and ASSIGNED) history, and the Telegram
 * card queued in the outbox for the assignee — or the managers — unless
 * the assignee is the person who created it — all in one transaction (the
 * caller's, if db is one).
 * Throws ValidationError (bad phone/email, no contact) and
 * DuplicateLeadError(existingLeadId) when a live lead has the email or phone;
 * neither leaves anything written.
 */
export async function createLead(db: Db, input: LeadInput, opts: CreateLeadOptions = {}): Promise<Lead> {
  const values = prepareLead(input, opts.defaultCountry);
  return inTransaction(db, async (trx) => {
    const duplicate = await findDuplicateLead(trx, values);
    if (duplicate) throw new DuplicateLeadError(duplicate.id);
    // The assignee first, so the lead is inserted with them and both history
    // rows go in one statement (issue 14: fewer round trips per intake). In
    // the rare race below, the agent picked keeps their last_assigned_at and
    // is merely passed over once by the round-robin.
    const assignee = opts.assignTo !== undefined ? (await claimAssignee(trx, opts.assignTo, true)).id : await pickAssignee(trx);
    // The unique indexes decide races: a concurrent insert of the same contact
    // makes this one a no-op instead of an error that would abort the transaction.
    const lead = await trx.insertInto('leads').values({ ...values, assigned_to: assignee }).onConflict((oc) => oc.doNothing())
      .returningAll().executeTakeFirst();
    if (!lead) {
      const winner = await findDuplicateLead(trx, values);
      throw new DuplicateLeadError(winner?.id ?? 0);
    }
    const actor = input.actorUserId ?? null;
    await recordHistories(trx, [
      { lead_id: lead.id, action: 'CREATED', actor_user_id: actor, to_stage: 'NEW', details: { source: lead.source, form_source_id: lead.form_source_id } },
      ...(assignee === null ? [] : [{
        lead_id: lead.id, action: 'ASSIGNED' as const, actor_user_id: actor,
        details: { to_user_id: assignee, by: opts.assignTo !== undefined ? 'creator' : 'capacity' },
      }]),
    ]);
    // Whoever typed the lead in and keeps it is looking at it already.
    if (assignee !== null && assignee === actor) return lead;
    await queueMessage(trx, { leadAudience: lead }, assignee !== null
      ? { kind: 'lead_card', leadId: lead.id, reason: 'new', byUserId: null }
      : { kind: 'unassigned_lead', leadId: lead.id, reason: 'new' });
    return lead;
  });
}

/**
 * A known contact submitted again (§4): no new lead; the submission is
 * recorded on the existing one (REPEAT_INQUIRY history, last_activity_at
 * touched) and its assignee — or the managers — told. Throws NotFoundError.
 */
export async function recordRepeatInquiry(
  db: Db,
  leadId: number,
  p: { formSourceId?: number | null; summary: string; details?: Record<string, unknown> },
): Promise<Lead> {
  return inTransaction(db, async (trx) => {
    await getLead(trx, leadId);
    const lead = await trx.updateTable('leads')
      .set({ last_activity_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', leadId).returningAll().executeTakeFirstOrThrow();
    const summary = sanitizeText(p.summary) ?? '';
    await recordHistory(trx, {
      lead_id: leadId, action: 'REPEAT_INQUIRY', actor_user_id: null, reason: summary || null,
      details: { form_source_id: p.formSourceId ?? null, ...p.details },
    });
    await queueMessage(trx, { leadAudience: lead }, { kind: 'repeat_inquiry', leadId: lead.id, summary });
    return lead;
  });
}
