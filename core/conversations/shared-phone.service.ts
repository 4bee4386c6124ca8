import { sql } from 'kysely';
import type { Conversation, Db, Lead } from '../database.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import { findDuplicateLead } from '../leads/lead.repository.js';
import { queueBotText } from './conversation-outbound.service.js';
import { readablePhone } from './conversation.rules.js';

/**
 * The customer turned out to be a known lead (§4: the phone they shared is
 * a live lead's): the conversation now belongs to that lead, which records
 * it as a repeat inquiry and is active again.
 */
export async function linkToExistingLead(
  trx: Db, p: { target: Lead; conversation: Conversation; mergedLeadId?: number; messageCount?: number },
): Promise<void> {
  await trx.updateTable('conversations').set({ lead_id: p.target.id, updated_at: sql`now()` })
    .where('id', '=', p.conversation.id).execute();
  await trx.updateTable('leads').set({
    message_count: sql`message_count + ${p.messageCount ?? 0}`, last_activity_at: sql`now()`, updated_at: sql`now()`,
  }).where('id', '=', p.target.id).execute();
  await recordHistory(trx, {
    lead_id: p.target.id, action: 'REPEAT_INQUIRY', actor_user_id: null,
    reason: 'Wrote to the bot in Telegram',
    details: { channel: 'telegram', conversation_id: p.conversation.id, merged_lead_id: p.mergedLeadId ?? null },
  });
}

/**
 * A phone the customer shared (§12, §4). Unreadable: nothing changes (the
 * contact stays in the conversation). Another live lead has it: when this
 * lead is the bare MESSAGE lead their first message opened, it is merged
 * into that one (conversation and message count move, this one is deleted
 * with a history row saying where it went); a lead with contacts of its own
 * is left as it is. Nobody has it: it becomes this lead's phone if it has
 * none. The customer is thanked (and the share button removed).
 * Returns the lead the conversation belongs to now.
 */
export async function saveSharedPhone(
  trx: Db, p: { conversation: Conversation; lead: Lead; phone: string; defaultCountry?: string | undefined },
): Promise<Lead> {
  const phone = readablePhone(p.phone, p.defaultCountry);
  if (!phone) return p.lead;
  let lead = p.lead;
  if (lead.phone !== phone) {
    const duplicate = await findDuplicateLead(trx, { phone, email: null });
    if (duplicate && duplicate.id !== lead.id) {
      if (lead.source === 'MESSAGE' && !lead.phone && !lead.email) lead = await mergeInto(trx, p.conversation, lead, duplicate.id);
    } else if (!lead.phone) {
      lead = await setPhone(trx, lead, phone);
    }
  }
  await queueBotText(trx, p.conversation.id, { template: 'phone_saved' });
  return lead;
}

async function mergeInto(trx: Db, conversation: Conversation, stale: Lead, targetId: number): Promise<Lead> {
  const target = await trx.selectFrom('leads').selectAll().where('id', '=', targetId).forUpdate().executeTakeFirstOrThrow();
  // The count as it is now, this message included.
  const from = await trx.selectFrom('leads').selectAll().where('id', '=', stale.id).executeTakeFirstOrThrow();
  await linkToExistingLead(trx, { target, conversation, mergedLeadId: from.id, messageCount: from.message_count });
  await trx.updateTable('leads').set({
    is_deleted: true, deleted_at: sql`now()`, deleted_by: null, version: sql`version + 1`, updated_at: sql`now()`,
  }).where('id', '=', from.id).execute();
  await recordHistory(trx, {
    lead_id: from.id, action: 'DELETED', actor_user_id: null,
    reason: `Merged into lead #${target.id}: the customer shared a phone that lead has`,
    details: { merged_into: target.id },
  });
  return trx.selectFrom('leads').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow();
}

/** Sets the phone in a savepoint: a lead that took it concurrently leaves this lead as it was. */
async function setPhone(trx: Db, lead: Lead, phone: string): Promise<Lead> {
  await sql`savepoint shared_phone`.execute(trx);
  try {
    const updated = await trx.updateTable('leads')
      .set({ phone, phone_unverified: null, version: sql`version + 1`, updated_at: sql`now()` })
      .where('id', '=', lead.id).returningAll().executeTakeFirstOrThrow();
    await sql`release savepoint shared_phone`.execute(trx);
    await recordHistory(trx, {
      lead_id: lead.id, action: 'FIELDS_UPDATED', actor_user_id: null, details: { fields: ['phone'], by: 'customer' },
    });
    return updated;
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    await sql`rollback to savepoint shared_phone`.execute(trx);
    return lead;
  }
}
