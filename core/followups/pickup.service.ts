import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import { pickAssignee } from '../leads/assignment.service.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import { OPEN_STAGES } from '../leads/lead.constants.js';
import { queueMessage } from '../outbox/outbox.writer.js';

export interface PickedUpLead { leadId: number; userId: number }

/**
 * Unassigned leads don't sit (issue 11, §4): the oldest open unassigned
 * leads are given, one transaction each, to whoever the §4 rule picks (most
 * free capacity, ties round-robin), until nobody has room or `limit` is
 * reached. ASSIGNED history {from_user_id: null, to_user_id, by: 'pickup'}
 * and the new owner gets the card. Runs after /on, an approval, a capacity
 * change, and every follow-ups run (capacity freed by a Lost, a transfer, a
 * delete). Leads locked by a concurrent run are skipped, so two instances
 * never assign one lead twice. `db`: the root handle.
 */
export async function assignWaitingLeads(db: Kysely<Database>, limit = 50): Promise<PickedUpLead[]> {
  const picked: PickedUpLead[] = [];
  while (picked.length < limit) {
    const one = await db.transaction().execute(async (trx) => {
      const lead = await trx.selectFrom('leads').select(['id'])
        .where('assigned_to', 'is', null).where('stage', 'in', OPEN_STAGES).where('is_deleted', '=', false)
        .orderBy('created_at').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
      if (!lead) return null;
      const userId = await pickAssignee(trx);
      if (userId === null) return null;
      await trx.updateTable('leads').set({ assigned_to: userId, version: sql`version + 1`, updated_at: sql`now()` })
        .where('id', '=', lead.id).execute();
      await recordHistory(trx, {
        lead_id: lead.id, action: 'ASSIGNED', actor_user_id: null,
        details: { from_user_id: null, to_user_id: userId, by: 'pickup' },
      });
      await queueMessage(trx, { user: userId }, { kind: 'lead_card', leadId: lead.id, reason: 'picked_up', byUserId: null });
      return { leadId: lead.id, userId };
    });
    if (!one) break;
    picked.push(one);
  }
  return picked;
}
