import type { View } from '../views/lead-card.view.js';
import { truncate } from '../html.js';

/** Telegram's limit for one message, in characters. */
const MESSAGE_MAX = 4096;

/**
 * The same message as plain text, for a second try after Telegram refused
 * the HTML (it does not parse) or the length: tags dropped, entities turned
 * back into characters, cut to 4096 characters, buttons kept. Sent without
 * parse_mode, so nothing in it can be refused as markup.
 */
export function plainView(view: View): View {
  const text = view.text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return { text: truncate(text, MESSAGE_MAX) || '…', keyboard: view.keyboard };
}
