import { Composer } from 'grammy';
import { assertCanReassign, listAssignableUsers, reassignLead } from '../../core/leads/reassign.service.js';
import { rememberUndo } from '../../core/leads/undo.service.js';
import { reassignMenuData, reassignPickData } from '../callback-data/team-actions.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardDataFor, editTapped, loadCardData } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
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
export function reassignFeature({ db, store }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, reassignMenuData, db, async (ctx, data) => {
    // Names and loads are for managers only; an agent's forged tap sees nothing.
    assertCanReassign(ctx.user);
    const card = await loadCardData(db, data.leadId, ctx.user);
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderReassignMenu(ctx.t, card, await listAssignableUsers(db), data.page));
  });

  onCallback(composer, reassignPickData, db, async (ctx, data) => {
    const { lead, fromUserId, toUser } = await reassignLead(db, {
      leadId: data.leadId, toUserId: data.userId, actor: ctx.user, expectedVersion: data.version,
    });
    ctx.log.info({ lead_id: lead.id, from_user_id: fromUserId, to_user_id: toUser.id }, 'lead_reassigned');
    const token = await rememberUndo(store, {
      kind: 'reassign', leadId: lead.id, versionAfter: lead.version, actorId: ctx.user.id,
      previous: { assignedTo: fromUserId },
    });
    const notice = ctx.t.reassign.done(lead.id, personLabel(toUser));
    await editTapped(ctx, withUndo(ctx.t, renderLeadCard(ctx.t, await cardDataFor(db, lead, ctx.user), notice), token));
  });

  return composer;
}
