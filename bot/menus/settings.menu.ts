import { Menu, type MenuFlavor } from '@grammyjs/menu';
import type { Filter } from 'grammy';
import { LANGUAGES, type Core, type User } from '../../core/index.js';
import type { ActiveContext } from '../context.js';
import { TIME_ZONE_CONVERSATION, type TimeZoneArgs } from '../conversations/time-zone.js';
import type { BotDeps } from '../deps.js';
import { isNotModified } from '../lead-cards.js';
import { errorFields } from '../log-fields.js';
import { LANGUAGE_NAMES, switchAvailability, switchLanguage, switchTimeZone } from '../own-settings.js';

/**
 * /settings (§1, §4): one message that gathers the user's own settings, as
 * a navigation menu (@grammyjs/menu): the main screen shows the current
 * values, with submenus for the language and the time zone (the team's,
 * zones common for the team's region, or any zone typed in) and a switch
 * for new leads (/off, /on). After a change the message is redrawn — in
 * the new language if that changed.
 *
 * Buttons carry `<menu>/<row>/<col>//<hash of the label and the menu's
 * shape>`, well under Telegram's 64 bytes. Every label names what the button
 * does now (the other language, the other availability, a zone), so a tap
 * on a message drawn for other settings does nothing but redraw it as it is
 * now, with "outdated button" (the plugin's outdated-menu check).
 */

const MAIN = 'stg1';
const LANGUAGE = 'stg1l';
const TIME_ZONE = 'stg1z';
const DIGEST = 'stg1d';
type Screen = typeof MAIN | typeof LANGUAGE | typeof TIME_ZONE | typeof DIGEST;
const SCREENS: readonly Screen[] = [MAIN, LANGUAGE, TIME_ZONE, DIGEST];
/** The daily digest's times offered (issue 11), minutes since local midnight. */
const DIGEST_TIMES = [7 * 60, 8 * 60, 9 * 60, 10 * 60] as const;
const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Offered besides the team's zone: the team's region and where its clients usually are. */
export const COMMON_TIME_ZONES = [
  'Europe/Kyiv', 'Europe/Warsaw', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Dubai', 'UTC',
] as const;

type MenuContext = Filter<ActiveContext, 'callback_query:data'> & MenuFlavor;

export interface SettingsMenu {
  /** Install with bot.use before the handlers that show it (bot/index.ts). */
  readonly menu: Menu<ActiveContext>;
  /** Sends the main screen as a new message (needs the menu installed on this update). */
  send(ctx: ActiveContext): Promise<void>;
  /**
   * Redraws a settings message as the main screen, from outside the menu's
   * buttons (a conversation, which runs before the menu is reached); sends a
   * new one when that message is gone or unknown.
   */
  redraw(ctx: ActiveContext, messageId: number | null): Promise<void>;
}

export function createSettingsMenu({ core, config }: Pick<BotDeps, 'core' | 'config'>): SettingsMenu {
  const teamZone = config.TEAM_TIMEZONE;

  const text = (ctx: ActiveContext, screen: Screen): string => screenText(ctx, core, screen);
  /** Redraws the tapped message as `screen`, text and buttons. */
  const draw = async (ctx: MenuContext, screen: Screen): Promise<void> => {
    try {
      await ctx.editMessageText(text(ctx, screen), { parse_mode: 'HTML', reply_markup: root.at(screen) });
    } catch (err) {
      // The same tap twice: nothing to redraw.
      if (!isNotModified(err)) throw err;
    }
  };
  /** For navigation buttons: the plugin puts the target menu under the new text. */
  const show = (screen: Screen) => async (ctx: MenuContext) => {
    await ctx.editMessageText(text(ctx, screen), { parse_mode: 'HTML' });
  };

  const options = {
    onMenuOutdated: async (ctx: MenuContext) => {
      const screen = SCREENS.find((id) => ctx.callbackQuery.data.startsWith(`${id}/`)) ?? MAIN;
      ctx.log.info({ menu: screen }, 'bot_menu_outdated');
      await ctx.answerCallbackQuery({ text: ctx.t.common.outdatedButton });
      await draw(ctx, screen);
    },
  };

  const root = new Menu<ActiveContext>(MAIN, options)
    .submenu((ctx) => ctx.t.settings.languageButton, LANGUAGE, show(LANGUAGE))
    .submenu((ctx) => ctx.t.settings.timeZoneButton, TIME_ZONE, show(TIME_ZONE))
    .row()
    .text((ctx) => (ctx.user.is_available ? ctx.t.settings.pause : ctx.t.settings.resume), async (ctx) => {
      await switchAvailability(ctx, core, !ctx.user.is_available);
      await draw(ctx, MAIN);
    })
    // Beside the switch, not on a row of its own: the plugin's outdated check hashes the menu's
    // shape and label into 4 bytes decoded as text, and with a third row Pause and Resume collided.
    .submenu((ctx) => ctx.t.digestSettings.button, DIGEST, show(DIGEST));

  const languages = new Menu<ActiveContext>(LANGUAGE, options);
  for (const language of LANGUAGES) {
    languages.text((ctx) => mark(ctx.user.language === language, LANGUAGE_NAMES[language]), async (ctx) => {
      if (ctx.user.language !== language) await switchLanguage(ctx, core, language);
      await draw(ctx, MAIN);
    });
  }
  languages.row().back((ctx) => ctx.t.common.back, show(MAIN));

  const pickZone = (zone: string | null) => async (ctx: MenuContext) => {
    if (ctx.user.timezone !== zone) await switchTimeZone(ctx, core, zone);
    await draw(ctx, MAIN);
  };
  const zones = new Menu<ActiveContext>(TIME_ZONE, options)
    .text((ctx) => mark(ctx.user.timezone === null, ctx.t.settings.teamZoneButton(teamZone)), pickZone(null))
    .row()
    .dynamic((ctx, range) => {
      offeredZones(ctx.user, teamZone).forEach((zone, i, all) => {
        range.text(mark(ctx.user.timezone === zone, zone), pickZone(zone));
        if (i % 2 === 1 && i < all.length - 1) range.row();
      });
    })
    .row()
    .text((ctx) => ctx.t.settings.otherZone, async (ctx) => {
      const args: TimeZoneArgs = { messageId: ctx.msgId ?? null };
      await ctx.conversation.exitAll();
      await ctx.conversation.enter(TIME_ZONE_CONVERSATION, args);
    })
    .row()
    .back((ctx) => ctx.t.common.back, show(MAIN));

  const digestAt = (user: User) => user.digest_minutes ?? core.followups.defaultDigestMinutes();
  const digest = new Menu<ActiveContext>(DIGEST, options);
  for (const minutes of DIGEST_TIMES) {
    digest.text((ctx) => mark(ctx.user.digest_enabled && digestAt(ctx.user) === minutes, clock(minutes)), async (ctx) => {
      ctx.user = await core.followups.setDigest(ctx.user, { enabled: true, minutes });
      await draw(ctx, MAIN);
    });
  }
  digest.row()
    .text((ctx) => mark(!ctx.user.digest_enabled, ctx.t.digestSettings.turnOff), async (ctx) => {
      ctx.user = await core.followups.setDigest(ctx.user, { enabled: false });
      await draw(ctx, MAIN);
    })
    .row()
    .back((ctx) => ctx.t.common.back, show(MAIN));

  root.register([languages, zones, digest]);

  return {
    menu: root,
    async send(ctx) {
      await ctx.reply(text(ctx, MAIN), { parse_mode: 'HTML', reply_markup: root });
    },
    async redraw(ctx, messageId) {
      // Lets ctx.api draw the menu here too: the menu's middleware installs its renderer, nothing more, on a message.
      await root.middleware()(ctx, () => Promise.resolve());
      if (messageId !== null) {
        try {
          await ctx.api.editMessageText(ctx.chat!.id, messageId, text(ctx, MAIN), { parse_mode: 'HTML', reply_markup: root });
          return;
        } catch (err) {
          if (isNotModified(err)) return;
          ctx.log.warn(errorFields(err), 'bot_settings_redraw_failed');
        }
      }
      await ctx.reply(text(ctx, MAIN), { parse_mode: 'HTML', reply_markup: root });
    },
  };
}

function screenText(ctx: ActiveContext, core: Core, screen: Screen): string {
  const { t, user } = ctx;
  const zone = core.users.timeZoneOf(user);
  const now = t.time.at(new Date());
  switch (screen) {
    case MAIN:
      return [
        t.settings.title,
        '',
        t.settings.language(LANGUAGE_NAMES[user.language]),
        user.timezone === null ? t.settings.teamTimeZone(zone, now) : t.settings.timeZone(zone, now),
        user.is_available ? t.settings.available : t.settings.away,
        digestLine(t, core, user),
      ].join('\n');
    case DIGEST:
      return t.digestSettings.title(digestLine(t, core, user));
    case LANGUAGE:
      return t.settings.languageTitle(LANGUAGE_NAMES[user.language]);
    case TIME_ZONE:
      return t.settings.timeZoneTitle(zone, now);
  }
}

function digestLine(t: ActiveContext['t'], core: Core, user: User): string {
  return user.digest_enabled ? t.digestSettings.on(clock(user.digest_minutes ?? core.followups.defaultDigestMinutes())) : t.digestSettings.off;
}

/** The zone buttons under the team's: the common ones, and the user's own if they typed another. */
function offeredZones(user: Pick<User, 'timezone'>, teamZone: string): string[] {
  const zones: string[] = [...COMMON_TIME_ZONES];
  if (user.timezone !== null && !zones.includes(user.timezone)) zones.push(user.timezone);
  // Picking the team's zone is the button above: it keeps following TEAM_TIMEZONE.
  return zones.filter((zone) => zone !== teamZone);
}

const mark = (selected: boolean, label: string): string => (selected ? `✅ ${label}` : label);
