import { Composer } from 'grammy';
import type { User } from '../../core/database.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { getLeadForUser } from '../../core/leads/lead.repository.js';
import { getUser } from '../../core/users/user.service.js';
import { leadHistoryData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, notFoundAsNull } from '../lead-cards.js';
import { HISTORY_PAGE_SIZE, renderHistory } from '../views/history.view.js';

/** 🕘 History (§5): pages of the lead's history in place of the card, newest first. */
export function leadHistoryFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.callbackQuery(leadHistoryData.filter, async (ctx) => {
    const data = leadHistoryData.unpack(ctx.callbackQuery.data);
    if (!data || data.page < 1) return ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
    await ctx.answerCallbackQuery();
    await getLeadForUser(db, data.leadId, ctx.user);
    const { items, total } = await listHistory(db, data.leadId, {
      limit: HISTORY_PAGE_SIZE, offset: (data.page - 1) * HISTORY_PAGE_SIZE,
    });
    // At most one page of distinct actors: a handful of look-ups, never the whole history.
    const actorIds = [...new Set(items.map((h) => h.actor_user_id).filter((id): id is number => id !== null))];
    const actors = new Map<number, User>();
    await Promise.all(actorIds.map(async (id) => {
      const user = await getUser(db, id).catch(notFoundAsNull);
      if (user) actors.set(id, user);
    }));
    await editTapped(ctx, renderHistory(ctx.t, { leadId: data.leadId, page: data.page, items, total, actors }));
  });

  return composer;
}
