import { Composer } from 'grammy';
import type { ActiveContext } from '../context.js';
import type { SettingsMenu } from '../menus/settings.menu.js';

/**
 * /settings (§1, §4): the user's language, time zone and availability in
 * one menu (bot/menus/settings.menu.ts, installed in bot/index.ts before
 * the features, as the menu plugin needs).
 */
export function settingsFeature(settings: SettingsMenu): Composer<ActiveContext> {
  const composer = new Composer<ActiveContext>();

  composer.command('settings', async (ctx) => {
    await settings.send(ctx);
  });

  return composer;
}
