import { Composer } from 'grammy';
import { addNote } from '../../core/leads/lead-note.service.js';
import { leadContactConfirmData, leadContactData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, loadCardData, showLeadChanged } from '../lead-cards.js';
import { renderLeadCard } from '../views/lead-card.view.js';
import { renderContactConfirm } from '../views/stale-alert.view.js';

// Stored in English, like preset lost reasons, so history reads the same for everyone.
const CONTACT_NOTE = '📞 Contacted (after a stale-lead alert)';
const ONCE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * 📞 Contacted on a stale-lead alert (§10): confirm, then a note through
 * core (which touches last_activity_at, so the lead is no longer stale).
 * Notes do not bump the lead version, so the confirm button is made
 * single-use in the store: a double tap logs one contact.
 */
export function staleAlertFeature({ db, store }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.callbackQuery(leadContactData.filter, async (ctx) => {
    const data = leadContactData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    const card = await loadCardData(db, data.leadId, ctx.user);
    if (card.lead.version !== data.version) return showLeadChanged(ctx, db, data.leadId);
    await editTapped(ctx, renderContactConfirm(ctx.t, card));
  });

  composer.callbackQuery(leadContactConfirmData.filter, async (ctx) => {
    const data = leadContactConfirmData.unpack(ctx.callbackQuery.data);
    if (!data) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    const card = await loadCardData(db, data.leadId, ctx.user);
    const message = ctx.callbackQuery.message;
    const onceKey = `bot:contact-logged:${ctx.chat!.id}:${message?.message_id ?? 0}:${data.version}`;
    if (card.lead.version !== data.version || !(await store.setIfAbsent(onceKey, '1', ONCE_TTL_MS))) {
      return showLeadChanged(ctx, db, data.leadId);
    }
    await addNote(db, { leadId: data.leadId, actor: ctx.user, body: CONTACT_NOTE });
    ctx.log.info({ lead_id: data.leadId }, 'lead_contact_logged');
    const fresh = await loadCardData(db, data.leadId, ctx.user);
    await editTapped(ctx, renderLeadCard(ctx.t, fresh, ctx.t.actions.contactLogged(data.leadId)));
  });

  return composer;
}
