import { Composer } from 'grammy';
import { parseSearchQuery } from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { sendView } from '../lead-cards.js';
import { renderFindResults } from '../views/find.view.js';

const RESULTS = 10;

/**
 * /find <text> (§2): leads by phone in any format, email, or a name or
 * company with typos; the results are buttons that open the card. Core
 * decides what the user may see (an agent: their own leads only).
 */
export function findFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('find', async (ctx) => {
    const query = ctx.match;
    if (!parseSearchQuery(query)) {
      await ctx.reply(ctx.t.find.usage, { parse_mode: 'HTML' });
      return;
    }
    const hits = await core.leads.search(ctx.user, query, { limit: RESULTS });
    // Counts only: search text may hold a phone number or an email (house style rule 13).
    ctx.log.info({ results: hits.length, query_length: query.length }, 'lead_search');
    await sendView(ctx.api, ctx.chat.id, renderFindResults(ctx.t, query, hits));
  });

  return composer;
}
