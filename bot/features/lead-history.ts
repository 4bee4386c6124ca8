import { Composer } from 'grammy';
import { leadHistoryData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { HISTORY_PAGE_SIZE, renderHistory } from '../views/lead-history.view.js';

/** 🕘 History (§5): pages of the lead's history in place of the card, newest first. */
export function leadHistoryFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadHistoryData, core, async (ctx, data) => {
    const page = Math.max(data.page, 1);
    const { items, total } = await core.leads.history(ctx.user, data.leadId, {
      limit: HISTORY_PAGE_SIZE, offset: (page - 1) * HISTORY_PAGE_SIZE,
    });
    await editTapped(ctx, renderHistory(ctx.t, { leadId: data.leadId, page, items, total }));
  });

  return composer;
}
