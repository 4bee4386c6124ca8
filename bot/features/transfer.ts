import { Composer } from 'grammy';
import { can, canHoldLeads, TransferError, type LeadCard } from '../../core/index.js';
import { setAnswer } from '../callback-answer.js';
import { transferAskData, transferConfirmData, transferOwnersData, transferPickData } from '../callback-data/transfer.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { assertCardFresh, confirmTap, onCallback } from '../on-callback.js';
import { personLabel, renderLeadCard } from '../views/lead-card.view.js';
import { renderOwnerPicker, renderTransferConfirm, renderTransferRefused } from '../views/transfer.view.js';

/**
 * 💼 Transfer to sales (§8) from a QUALIFIED lead's card: the §8 gates are
 * checked by core at the tap — a refusal shows every failed condition with
 * its fix — then a confirmation naming the deal's owner (the lead's
 * assignee; managers may pick another), then core's one transaction.
 */
export function transferFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  /** The card, fresh, with the gates passed; a refusal is drawn on the card and null returned. */
  async function transferable(ctx: ActiveContext, leadId: number, version: number): Promise<LeadCard | null> {
    const card = await cardFor(ctx, core, leadId);
    assertCardFresh(card.lead, version);
    try {
      await core.deals.checkTransfer(ctx.user, leadId);
      return card;
    } catch (err) {
      if (!(err instanceof TransferError)) throw err;
      ctx.log.info({ lead_id: leadId, refusals: err.refusals }, 'transfer_refused');
      setAnswer(ctx, ctx.t.transfer.refused(leadId), { alert: false });
      await editTapped(ctx, renderTransferRefused(ctx.t, card, err));
      return null;
    }
  }

  /** Who owns the deal by default: the lead's assignee, else the tapper if they can hold deals, else nobody yet. */
  function defaultOwner(ctx: ActiveContext, card: LeadCard) {
    if (card.assignee) return { id: null, label: personLabel(card.assignee) };
    return canHoldLeads(ctx.user) ? { id: ctx.user.id, label: personLabel(ctx.user) } : { id: null, label: null };
  }

  onCallback(composer, transferAskData, core, async (ctx, data) => {
    const card = await transferable(ctx, data.leadId, data.version);
    if (!card) return;
    await editTapped(ctx, renderTransferConfirm(ctx.t, card, defaultOwner(ctx, card), can(ctx.user, 'deals.assign')));
  });

  onCallback(composer, transferOwnersData, core, async (ctx, data) => {
    const card = await transferable(ctx, data.leadId, data.version);
    if (!card) return;
    const people = await core.deals.ownerCandidates(ctx.user);
    await editTapped(ctx, renderOwnerPicker(ctx.t, card, people, data.page));
  });

  onCallback(composer, transferPickData, core, async (ctx, data) => {
    const card = await transferable(ctx, data.leadId, data.version);
    if (!card) return;
    const person = (await core.deals.ownerCandidates(ctx.user)).find((p) => p.user.id === data.ownerId);
    // Someone who can no longer own deals: back to the picker as it is now.
    if (!person) {
      await editTapped(ctx, renderOwnerPicker(ctx.t, card, await core.deals.ownerCandidates(ctx.user), 0));
      return;
    }
    await editTapped(ctx, renderTransferConfirm(ctx.t, card, { id: person.user.id, label: personLabel(person.user) }, true));
  });

  onCallback(composer, transferConfirmData, core, async (ctx, data) => {
    const { deal, lead } = await core.deals.transfer(ctx.user, {
      leadId: data.leadId, expectedVersion: data.version, ownerId: data.ownerId || null,
    });
    ctx.log.info({ lead_id: lead.id, deal_id: deal.id, owner_id: deal.owner_id }, 'lead_transferred');
    const notice = ctx.t.transfer.done(lead.id, deal.id);
    confirmTap(ctx, notice);
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, lead.id)));
  });

  return composer;
}
