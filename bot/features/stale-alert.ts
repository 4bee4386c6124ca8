import { Composer } from 'grammy';
import { leadContactConfirmData, leadContactData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardFor, editTapped } from '../lead-cards.js';
import { assertCardFresh, confirmTap, onCallback } from '../on-callback.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { renderContactConfirm } from '../views/stale-alert.view.js';

/**
 * 📞 Contacted on a stale-lead alert (§10): confirm, then core logs the
 * contact (a note that makes the lead fresh and bumps its version, so a
 * double tap is refused like any stale button).
 */
export function staleAlertFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadContactData, core, async (ctx, data) => {
    const card = await cardFor(ctx, core, data.leadId);
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderContactConfirm(ctx.t, card));
  });

  onCallback(composer, leadContactConfirmData, core, async (ctx, data) => {
    const lead = await core.leads.logContact(ctx.user, { leadId: data.leadId, expectedVersion: data.version });
    ctx.log.info({ lead_id: lead.id }, 'lead_contact_logged');
    confirmTap(ctx, ctx.t.actions.contactLogged(lead.id));
    await editTapped(ctx, renderLeadCard(ctx.t, await cardFor(ctx, core, lead.id)));
  });

  return composer;
}
