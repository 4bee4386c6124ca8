/**
 * Every message the bot sends uses parse_mode HTML (§16): anything that did
 * not come from our own texts goes through escapeHtml first.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram rejects messages over 4096 characters; long user text is cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** UTC "YYYY-MM-DD HH:mm": one format for every timestamp the bot shows. */
export function formatTime(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}
