import { Composer } from 'grammy';
import { reassignMenuData, reassignPickData } from '../callback-data/team-actions.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { assertCardFresh, confirmTap, onCallback } from '../on-callback.js';
import { personLabel, renderLeadCard } from '../views/lead-card.view.js';
import { renderReassignMenu } from '../views/reassign.view.js';
import { withUndo } from '../views/undo.view.js';

/**
 * 👤 Reassign (§4, managers and admins): the card turns into a menu of
 * active agents and managers with their load/capacity; picking one
 * reassigns through core (rights, version and the target's fresh load are
 * checked there) and the card comes back with ↩️ Undo for 30 s. A full or
 * inactive target is refused with the reason, and the menu stays.
 */
export function reassignFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, reassignMenuData, core, async (ctx, data) => {
    // Names and loads are for managers only: core refuses an agent's forged tap before anything is read.
    const people = await core.leads.assignableUsers(ctx.user);
    const card = await cardFor(ctx, core, data.leadId);
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderReassignMenu(ctx.t, card, people, data.page));
  });

  onCallback(composer, reassignPickData, core, async (ctx, data) => {
    const { lead, fromUserId, toUser, undoToken } = await core.leads.reassign(ctx.user, {
      leadId: data.leadId, toUserId: data.userId, expectedVersion: data.version,
    });
    ctx.log.info({ lead_id: lead.id, from_user_id: fromUserId, to_user_id: toUser.id }, 'lead_reassigned');
    confirmTap(ctx, ctx.t.reassign.done(lead.id, personLabel(toUser)));
    await editTapped(ctx, withUndo(ctx.t, renderLeadCard(ctx.t, await cardFor(ctx, core, lead.id)), undoToken));
  });

  return composer;
}
