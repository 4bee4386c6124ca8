import { Composer } from 'grammy';
import type { User } from '../../core/database.js';
import { listHistory } from '../../core/leads/lead-history.repository.js';
import { getLeadForUser } from '../../core/leads/lead.repository.js';
import { getUser } from '../../core/users/user.service.js';
import { leadHistoryData } from '../callback-data/lead.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, notFoundAsNull } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { HISTORY_PAGE_SIZE, renderHistory } from '../views/history.view.js';

/** 🕘 History (§5): pages of the lead's history in place of the card, newest first. */
export function leadHistoryFeature({ db }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  onCallback(composer, leadHistoryData, db, async (ctx, data) => {
    await getLeadForUser(db, data.leadId, ctx.user);
    const page = Math.max(data.page, 1);
    const { items, total } = await listHistory(db, data.leadId, {
      limit: HISTORY_PAGE_SIZE, offset: (page - 1) * HISTORY_PAGE_SIZE,
    });
    // At most one page of distinct actors: a handful of look-ups, never the whole history.
    const actorIds = [...new Set(items.map((h) => h.actor_user_id).filter((id): id is number => id !== null))];
    const actors = new Map<number, User>();
    await Promise.all(actorIds.map(async (id) => {
      const user = await getUser(db, id).catch(notFoundAsNull);
      if (user) actors.set(id, user);
    }));
    await editTapped(ctx, renderHistory(ctx.t, { leadId: data.leadId, page, items, total, actors }));
  });

  return composer;
}
