import { InlineKeyboard } from 'grammy';
import type { Config } from '../config.js';
import type { Texts } from './texts/index.js';
import type { View } from './views/lead-card.view.js';

/** The board's path on the server (http/routes/miniapp: MINIAPP_PATH), with the trailing slash the page is served at. */
const BOARD_PATH = '/app/';

/**
 * The Mini App's URL (§14), or null when it cannot be offered: Telegram
 * opens web_app buttons over HTTPS only, so a server on http:// (the local
 * default) shows no board buttons rather than buttons Telegram refuses.
 */
export function boardUrl(config: Pick<Config, 'PUBLIC_URL'>): string | null {
  const url = new URL(BOARD_PATH, config.PUBLIC_URL.endsWith('/') ? config.PUBLIC_URL : `${config.PUBLIC_URL}/`);
  return url.protocol === 'https:' ? url.href : null;
}

/** The view with a 🗂 Board button (web_app) in a last row of its own; unchanged without a board URL. */
export function withBoardButton(t: Texts, view: View, url: string | null): View {
  if (!url) return view;
  return { ...view, keyboard: InlineKeyboard.from([...view.keyboard.inline_keyboard, [InlineKeyboard.webApp(t.board.open, url)]]) };
}
