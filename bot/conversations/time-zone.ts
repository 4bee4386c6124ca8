import type { Context } from 'grammy';
import { ValidationError, type Core } from '../../core/index.js';
import { escapeHtml, truncate } from '../html.js';
import type { SettingsMenu } from '../menus/settings.menu.js';
import { switchTimeZone } from '../own-settings.js';
import type { Texts } from '../texts/index.js';
import { askText, type CrmConversation } from './ask-text.js';

export const TIME_ZONE_CONVERSATION = 'timeZone';

export interface TimeZoneArgs {
  /** The settings message the question came from, redrawn with the new zone (null: a new one is sent). */
  messageId: number | null;
}

/** Longer than any IANA name; anything longer is not a zone anyway. */
const ZONE_MAX = 64;

/**
 * /settings → 🕒 Time zone → ✍️ Other zone… (§1): asks for an IANA zone
 * name until core accepts one (or /cancel), then confirms it with the time
 * there and redraws the settings message with it.
 */
export function timeZoneConversation(core: Core, settings: SettingsMenu) {
  return async function timeZone(conversation: CrmConversation, _ctx: Context, args: TimeZoneArgs): Promise<void> {
    let prompt = (t: Texts): string => t.settings.zoneAsk;
    for (;;) {
      const typed = await askText(conversation, prompt, { min: 1, max: ZONE_MAX });
      if (typed === null) return;
      const refused = await conversation.external(async (ctx) => {
        try {
          await switchTimeZone(ctx, core, typed);
        } catch (err) {
          if (err instanceof ValidationError && err.field === 'timezone') return true;
          throw err;
        }
        const zone = core.users.timeZoneOf(ctx.user);
        await ctx.reply(ctx.t.settings.zoneSaved(zone, ctx.t.time.at(new Date())), { parse_mode: 'HTML' });
        await settings.redraw(ctx, args.messageId);
        return false;
      });
      if (!refused) return;
      prompt = (t) => t.settings.zoneInvalid(escapeHtml(truncate(typed, ZONE_MAX)));
    }
  };
}
