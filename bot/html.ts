/**
 * Every message the bot sends uses parse_mode HTML (§16): anything that did
 * not come from our own texts goes through escapeHtml first.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * At most `max` characters (UTF-16 units, as Telegram counts), cut with an
 * ellipsis. The cut falls between whole graphemes, so an emoji, a flag or
 * an accented letter is never split into halves Telegram refuses.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}
