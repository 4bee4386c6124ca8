import { Composer } from 'grammy';
import { logContact } from '../../core/leads/lead-note.service.js';
import { leadContactConfirmData, leadContactData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { cardDataFor, editTapped, loadCardData } from '../lead-cards.js';
import { assertCardFresh, onCallback } from '../on-callback.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { renderContactConfirm } from '../views/stale-alert.view.js';

// Stored in English, like preset lost reasons, so history reads the same for everyone.
const CONTACT_NOTE = '📞 Contacted (after a stale-lead alert)';

/**
 * 📞 Contacted on a stale-lead alert (§10): confirm, then core logs the
 * contact (a note that makes the lead fresh and bumps its version, so a
 * double tap is refused like any stale button).
 */
export function staleAlertFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadContactData, db, async (ctx, data) => {
    const card = await loadCardData(db, data.leadId, ctx.user);
    assertCardFresh(card.lead, data.version);
    await editTapped(ctx, renderContactConfirm(ctx.t, card));
  });

  onCallback(composer, leadContactConfirmData, db, async (ctx, data) => {
    const lead = await logContact(db, { leadId: data.leadId, actor: ctx.user, body: CONTACT_NOTE, expectedVersion: data.version });
    ctx.log.info({ lead_id: lead.id }, 'lead_contact_logged');
    await editTapped(ctx, renderLeadCard(ctx.t, await cardDataFor(db, lead, ctx.user), ctx.t.actions.contactLogged(lead.id)));
  });

  return composer;
}
