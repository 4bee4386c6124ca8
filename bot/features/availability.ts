import { Composer } from 'grammy';
import { setAvailability } from '../../core/users/availability.service.js';
import type { ActiveContext } from '../context.js';
import type { FeatureDeps } from '../deps.js';

/**
 * /off and /on (§4), for every active user: while off, automatic
 * assignment gives new leads to others; the leads already held stay, and
 * /off says how many.
 */
export function availabilityFeature({ db }: FeatureDeps): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('off', async (ctx) => {
    const { openLeads } = await setAvailability(db, ctx.user.id, false);
    ctx.log.info({ open_leads: openLeads }, 'user_availability_off');
    await ctx.reply(ctx.t.availability.off(openLeads), { parse_mode: 'HTML' });
  });

  composer.command('on', async (ctx) => {
    const { openLeads } = await setAvailability(db, ctx.user.id, true);
    ctx.log.info({ open_leads: openLeads }, 'user_availability_on');
    await ctx.reply(ctx.t.availability.on, { parse_mode: 'HTML' });
  });

  return composer;
}
