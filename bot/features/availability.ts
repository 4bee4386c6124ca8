import { Composer } from 'grammy';
import type { ActiveContext } from '../context.js';
import type { BotDeps } from '../deps.js';

/**
 * /off and /on (§4), for every active user: while off, automatic
 * assignment gives new leads to others; the leads already held stay, and
 * /off says how many.
 */
export function availabilityFeature({ core }: BotDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('off', async (ctx) => {
    const { openLeads } = await core.users.setAvailability(ctx.user, false);
    ctx.log.info({ open_leads: openLeads }, 'user_availability_off');
    await ctx.reply(ctx.t.availability.off(openLeads), { parse_mode: 'HTML' });
  });

  composer.command('on', async (ctx) => {
    const { openLeads } = await core.users.setAvailability(ctx.user, true);
    ctx.log.info({ open_leads: openLeads }, 'user_availability_on');
    await ctx.reply(ctx.t.availability.on, { parse_mode: 'HTML' });
  });

  return composer;
}
