import { Composer } from 'grammy';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';
import { switchAvailability } from '../own-settings.js';

/**
 * /off and /on (§4), for every active user: while off, automatic
 * assignment gives new leads to others; the leads already held stay, and
 * /off says how many. /settings offers the same switch.
 */
export function availabilityFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('off', async (ctx) => {
    const openLeads = await switchAvailability(ctx, core, false);
    await ctx.reply(ctx.t.availability.off(openLeads), { parse_mode: 'HTML' });
  });

  composer.command('on', async (ctx) => {
    await switchAvailability(ctx, core, true);
    await ctx.reply(ctx.t.availability.on, { parse_mode: 'HTML' });
  });

  return composer;
}
