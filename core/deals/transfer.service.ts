import { sql } from 'kysely';
import { assertCan, canHoldLeads } from '../access/access-policy.js';
import type { Db, Deal, Lead, User } from '../database.js';
import { InactiveAssigneeError, LeadChangedError, TransferError, ValidationError } from '../errors.js';
import { recordHistory } from '../leads/lead-history.repository.js';
import { lockLead } from '../leads/lead-row.lock.js';
import { noticeLeadChange } from '../notices/lead-change-notice.service.js';
import { queueMessage } from '../outbox/outbox.writer.js';
import { inTransaction } from '../transaction.js';
import { getUser } from '../users/user.service.js';
import { TRANSFER_MIN_SCORE } from './deal.constants.js';
import { insertDeal, recordDealHistory } from './deal.repository.js';
import { transferRefusals } from './transfer.rules.js';

export interface TransferRequest {
  leadId: number;
  actor: User;
  /** The lead version the card showed; a mismatch means it is stale. */
  expectedVersion?: number;
  /** Who owns the deal; default the lead's assignee (another person: managers and admins only). */
  ownerId?: number | null;
  /** The deal's currency until an amount names another (DEFAULT_CURRENCY). */
  currency: string;
  /** The sales chat (SALES_CHAT_ID) that gets a card of the new deal, if configured. */
  salesChatId?: number | null;
  /** Core's clock: the deal's creation (duration_days counts from it) and the notices' time. */
  now: Date;
}

/**
 * §8 gates for `lead`: throws TransferError naming every failed condition
 * (QUALIFIED, analysed, score ≥ 0.6, business domain), in TRANSFER_REFUSALS order.
 */
export function assertTransferable(lead: Lead): void {
  const [first, ...rest] = transferRefusals(lead);
  if (first) throw new TransferError(lead.id, [first, ...rest], lead.stage, lead.ai_score, TRANSFER_MIN_SCORE);
}

/**
 * The transfer to sales (§8), in ONE transaction: the lead row is locked
 * (of two concurrent transfers exactly one wins; with expectedVersion the
 * other gets LeadChangedError), the §8 gates are checked, the deal is
 * created in NEW for its owner, the lead moves to TRANSFERRED (version
 * bumped, last_activity_at touched) with a TRANSFERRED history row
 * {deal_id, owner_id}, the deal gets its CREATED row, and the outbox gets
 * the owner's deal card, the sales chat's card (when configured) and — when
 * the lead's assignee neither did it nor owns the deal — their
 * lead_changed notice. Returns the deal and the lead as it is now.
 * Throws NotFoundError('lead'|'user'), ForbiddenError (not the viewer's
 * lead; an agent choosing another owner), LeadChangedError, TransferError,
 * InactiveAssigneeError (an owner who cannot hold deals), ValidationError('ownerId')
 * (an unassigned lead and nobody chosen).
 */
export async function transferLead(db: Db, req: TransferRequest): Promise<{ deal: Deal; lead: Lead }> {
  return inTransaction(db, async (trx) => {
    const lead = await lockLead(trx, req.leadId, { deleted: false, viewer: req.actor });
    if (req.expectedVersion !== undefined && lead.version !== req.expectedVersion) {
      throw new LeadChangedError(lead.id, lead.version);
    }
    assertTransferable(lead);
    const ownerId = await chooseOwner(trx, lead, req);
    const deal = await insertDeal(trx, {
      lead_id: lead.id, owner_id: ownerId, currency: req.currency, created_by: req.actor.id,
      created_at: req.now, last_activity_at: req.now, updated_at: req.now,
    });
    const updated = await trx.updateTable('leads')
      .set({ stage: 'TRANSFERRED', version: sql`version + 1`, last_activity_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', lead.id).returningAll().executeTakeFirstOrThrow();
    await recordHistory(trx, {
      lead_id: lead.id, action: 'TRANSFERRED', actor_user_id: req.actor.id, from_stage: lead.stage, to_stage: 'TRANSFERRED',
      details: { deal_id: deal.id, owner_id: ownerId },
    });
    await recordDealHistory(trx, {
      deal_id: deal.id, action: 'CREATED', actor_user_id: req.actor.id, to_stage: 'NEW', details: { lead_id: lead.id },
      created_at: req.now,
    });
    await queueMessage(trx, { user: ownerId }, { kind: 'deal_card', dealId: deal.id, reason: 'transferred', byUserId: req.actor.id });
    if (req.salesChatId) await queueMessage(trx, { chat: req.salesChatId }, { kind: 'sales_chat_deal', dealId: deal.id });
    // The owner hears of it through the deal card; an assignee who lost the lead to someone else's deal, here.
    if (lead.assigned_to !== ownerId) {
      await noticeLeadChange(trx, {
        lead: updated, actorId: req.actor.id, change: { action: 'stage_changed', from: lead.stage, to: 'TRANSFERRED' }, now: req.now,
      });
    }
    return { deal, lead: updated };
  });
}

/** The deal's owner: the one chosen (managers), else the lead's assignee, else the actor if they can hold deals. */
async function chooseOwner(trx: Db, lead: Lead, req: TransferRequest): Promise<number> {
  const chosen = req.ownerId ?? null;
  if (chosen !== null && chosen !== lead.assigned_to) assertCan(req.actor, 'deals.assign');
  const ownerId = chosen ?? lead.assigned_to ?? (canHoldLeads(req.actor) ? req.actor.id : null);
  if (ownerId === null) throw new ValidationError('ownerId', 'the lead is unassigned: choose who owns the deal');
  const owner = await getUser(trx, ownerId);
  if (!canHoldLeads(owner)) throw new InactiveAssigneeError(owner.id, owner.full_name, owner.status);
  return owner.id;
}
