import { Composer } from 'grammy';
import { can } from '../../core/index.js';
import { dealsPageData, type DealListFilter } from '../callback-data/deal.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { editTapped, sendView } from '../lead-cards.js';
import { onCallback } from '../on-callback.js';
import { renderDealList } from '../views/deal-list.view.js';

const PAGE_SIZE = 8;

/**
 * /deals (§9): my open deals (managers and admins: everyone's), newest
 * first, ◀ ▶ keyset pages, a stage filter, and the count and total amount
 * per stage of the filtered set. Core applies the rights and the filter.
 */
export function dealListFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  async function listView(ctx: ActiveContext, filter: DealListFilter, page: number, cursor: { next?: string; prev?: string } = {}) {
    const list = await core.deals.list(ctx.user, {
      limit: PAGE_SIZE, stage: filter === 'OPEN' ? null : filter, cursor: cursor.next ?? null, before: cursor.prev ?? null,
    });
    return renderDealList(ctx.t, { list, filter, page, everyone: can(ctx.user, 'deals.all') });
  }

  composer.command('deals', async (ctx) => {
    await sendView(ctx.api, ctx.chat.id, await listView(ctx, 'OPEN', 1));
  });

  onCallback(composer, dealsPageData, core, async (ctx, data) => {
    const cursor = data.dir === 'next' ? { next: data.cursor } : data.dir === 'prev' ? { prev: data.cursor } : {};
    await editTapped(ctx, await listView(ctx, data.filter, data.dir === 'first' ? 1 : Math.max(1, data.page), cursor));
  });

  return composer;
}
