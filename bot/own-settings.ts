import type { Core, Language } from '../core/index.js';
import type { ActiveContext } from './context.js';
import { textsForUser } from './texts/index.js';

/**
 * A user's own settings — language, time zone, availability — changed the
 * same way from /lang, /off, /on and the /settings menu: through core, and
 * the rest of the update then reads the fresh user (its texts included).
 */

/** Each language is offered in its own name, so anyone can find theirs. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: '🇬🇧 English', uk: '🇺🇦 Українська' };

export async function switchLanguage(ctx: ActiveContext, core: Core, language: Language): Promise<void> {
  ctx.user = await core.users.setLanguage(ctx.user, language);
  ctx.lang = language;
  ctx.t = textsForUser(core, ctx.user);
  ctx.log.info({ language }, 'user_language_changed');
}

/** zone: an IANA name, or null for the team's. Throws ValidationError('timezone') for a name that is not a zone. */
export async function switchTimeZone(ctx: ActiveContext, core: Core, zone: string | null): Promise<void> {
  ctx.user = await core.users.setTimeZone(ctx.user, zone);
  ctx.t = textsForUser(core, ctx.user);
  ctx.log.info({ time_zone: ctx.user.timezone ?? 'team' }, 'user_time_zone_changed');
}

/** §4 /off and /on. Returns how many open leads the user still holds. */
export async function switchAvailability(ctx: ActiveContext, core: Core, available: boolean): Promise<number> {
  const { user, openLeads } = await core.users.setAvailability(ctx.user, available);
  ctx.user = user;
  ctx.log.info({ open_leads: openLeads }, available ? 'user_availability_on' : 'user_availability_off');
  return openLeads;
}
