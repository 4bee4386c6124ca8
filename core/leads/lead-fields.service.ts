import { sql } from 'kysely';
import { DuplicateLeadError, ForbiddenError, ValidationError } from '../errors.js';
import type { Db, Lead, LeadUpdate, User } from '../database.js';
import { inTransaction } from '../transaction.js';
import { recordHistory } from './lead-history.repository.js';
import { lockLead } from './lead-row.lock.js';
import { findDuplicateLead } from './lead.repository.js';
import { isTerminal } from './cold-pipeline.rules.js';
import { prepareLead } from './lead.service.js';
import { noticeLeadChange } from '../notices/lead-change-notice.service.js';
import { EDITABLE_LEAD_FIELDS, type EditableLeadField } from './lead.constants.js';

export { EDITABLE_LEAD_FIELDS, type EditableLeadField } from './lead.constants.js';

/** Each editable field's column; also the key of its entry in FIELDS_UPDATED history details. */
export const LEAD_FIELD_COLUMNS = {
  company: 'company', position: 'position', businessDomain: 'business_domain', intent: 'intent',
  painPoints: 'pain_points', phone: 'phone', email: 'email',
} as const satisfies Record<EditableLeadField, keyof Lead>;

/** New values by field; null or an empty string clears the field. */
export type LeadFieldChanges = Partial<Record<EditableLeadField, string | null>>;

export interface UpdateLeadFieldsRequest {
  leadId: number;
  actor: User;
  /** The lead version the user saw; a mismatch means someone changed it meanwhile. */
  expectedVersion: number;
  changes: LeadFieldChanges;
  /** ISO country for phone numbers typed without a country code. */
  defaultCountry?: string;
  /** Core's clock, for the assignee's notice (noticeLeadChange). */
  now?: Date;
}

/**
 * Edits contact and profile fields of an open lead (§2, §4). Values go
 * through the same rules as a new lead (prepareLead: E.164 phones,
 * lower-cased emails, sanitised and capped text), and the lead must keep a
 * phone, an email or unverified phone text with ≥ 5 digits (§11) unless its
 * source is MESSAGE. Editing the phone (also clearing it) retires the
 * unverified text a form left: phone_unverified becomes null, recorded in
 * the history details, and 'phone' counts as changed. A phone or email that
 * another live lead holds is refused with DuplicateLeadError(existingLeadId),
 * also when a concurrent change claims it first (the unique index race).
 * Under the lead's row lock: version check, then one update that bumps the
 * version and touches last_activity_at, and FIELDS_UPDATED history with
 * details {column: {from, to}} for the fields that really changed; the
 * assignee is told when someone else edited them (noticeLeadChange).
 * Values equal to the current ones change nothing (no version bump, no history).
 * Returns the lead and the fields that changed.
 * Throws ValidationError('changes' | 'phone' | 'email' | 'contact'), NotFoundError,
 * ForbiddenError (not the actor's lead, or the lead is closed), LeadChangedError,
 * DuplicateLeadError.
 */
export async function updateLeadFields(
  db: Db, req: UpdateLeadFieldsRequest,
): Promise<{ lead: Lead; changed: EditableLeadField[] }> {
  const fields = Object.keys(req.changes) as EditableLeadField[];
  if (fields.length === 0) throw new ValidationError('changes', 'nothing to change');
  const unknown = fields.filter((f) => !EDITABLE_LEAD_FIELDS.includes(f));
  if (unknown.length) throw new ValidationError('changes', `not editable: ${unknown.join(', ')}`);

  return inTransaction(db, async (trx) => {
    const lead = await lockLead(trx, req.leadId, { deleted: false, viewer: req.actor, expectedVersion: req.expectedVersion });
    if (isTerminal(lead.stage)) throw new ForbiddenError(`Lead #${lead.id} is ${lead.stage}: its fields can no longer be edited`);

    const has = (f: EditableLeadField) => Object.hasOwn(req.changes, f);
    const c = req.changes;
    // The one set of creation rules; the contact rule sees the lead as it would be after the edit.
    const prepared = prepareLead({
      source: lead.source,
      phone: has('phone') ? c.phone : lead.phone,
      phoneUnverified: has('phone') ? null : lead.phone_unverified,
      email: has('email') ? c.email : lead.email,
      company: c.company, position: c.position, businessDomain: c.businessDomain, intent: c.intent, painPoints: c.painPoints,
    }, req.defaultCountry);

    const set: Partial<Record<(typeof LEAD_FIELD_COLUMNS)[EditableLeadField], string | null>> & LeadUpdate = {};
    const details: Record<string, { from: string | null; to: string | null }> = {};
    const changed = fields.filter((f) => {
      const column = LEAD_FIELD_COLUMNS[f];
      const to = prepared[column] ?? null;
      // The typed text was a stand-in for a phone; whatever the user now says the phone is replaces it.
      const retiresText = f === 'phone' && lead.phone_unverified !== null;
      if (retiresText) {
        set.phone_unverified = null;
        details.phone_unverified = { from: lead.phone_unverified, to: null };
      }
      if (to === lead[column]) return retiresText;
      set[column] = to;
      details[column] = { from: lead[column], to };
      return true;
    });
    if (changed.length === 0) return { lead, changed };

    const contact = { phone: set.phone ?? null, email: set.email ?? null };
    const duplicate = await findDuplicateLead(trx, contact);
    if (duplicate) throw new DuplicateLeadError(duplicate.id);

    const updated = await updateUnlessTaken(trx, lead.id, contact, set);
    await recordHistory(trx, { lead_id: lead.id, action: 'FIELDS_UPDATED', actor_user_id: req.actor.id, details });
    await noticeLeadChange(trx, { lead: updated, actorId: req.actor.id, change: { action: 'fields_edited', fields: changed }, now: req.now });
    return { lead: updated, changed };
  });
}

const CONTACT_INDEXES = ['leads_email_live_uq', 'leads_phone_live_uq'];

/**
 * The update, inside a savepoint: when a concurrent transaction committed
 * the same phone or email after our duplicate check, the partial unique
 * index refuses it; that becomes DuplicateLeadError, and the savepoint keeps
 * the caller's transaction usable instead of aborted.
 */
async function updateUnlessTaken(
  trx: Db, leadId: number, contact: { phone: string | null; email: string | null }, values: LeadUpdate,
): Promise<Lead> {
  await sql`savepoint lead_fields_update`.execute(trx);
  try {
    const lead = await trx.updateTable('leads')
      .set({ ...values, version: sql`version + 1`, last_activity_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', leadId).returningAll().executeTakeFirstOrThrow();
    await sql`release savepoint lead_fields_update`.execute(trx);
    return lead;
  } catch (err) {
    if (!isContactTaken(err)) throw err;
    await sql`rollback to savepoint lead_fields_update`.execute(trx);
    const winner = await findDuplicateLead(trx, contact);
    throw new DuplicateLeadError(winner?.id ?? 0);
  }
}

function isContactTaken(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e?.code !== '23505') return false;
  if (typeof e.constraint === 'string') return CONTACT_INDEXES.includes(e.constraint);
  return CONTACT_INDEXES.some((name) => String(e.message).includes(name));
}
