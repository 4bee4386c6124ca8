/**
 * Telegram's parse_mode HTML, as strict as Telegram: a port of the checks in
 * tdlib's do_parse_html (td/telegram/MessageEntity.cpp), so the fake refuses
 * with the same words the real Bot API uses ("Unsupported start tag "br" at
 * byte offset 12"). Byte offsets are UTF-8, as Telegram reports them.
 *
 * One deliberate difference: Telegram lets a bare "&" through as text; the
 * Bot API docs say it must be sent as &amp;, and a bare "&" in our output is
 * an escaping bug (the same code would pass "&lt;" through unescaped), so
 * this parser refuses it unless `allowBareAmpersand` is set.
 */

const SUPPORTED_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'span', 'pre', 'code', 'blockquote',
]);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** Telegram's MessageEntity as parse_mode HTML produces it; offsets and lengths in UTF-16 units. */
export interface HtmlEntity { type: string; offset: number; length: number; url?: string; language?: string; custom_emoji_id?: string }

export type HtmlParseResult = { ok: true; text: string; entities: HtmlEntity[] } | { ok: false; error: string };

/** Synonymous tags give the same entity (<b> and <strong> are both bold), as in Telegram. */
const ENTITY_TYPE: Record<string, string> = {
  a: 'text_link', b: 'bold', strong: 'bold', i: 'italic', em: 'italic', s: 'strikethrough', strike: 'strikethrough',
  del: 'strikethrough', u: 'underline', ins: 'underline', 'tg-spoiler': 'spoiler', span: 'spoiler',
  'tg-emoji': 'custom_emoji', pre: 'pre', code: 'code', blockquote: 'blockquote',
};

/**
 * The plain text Telegram would show and its entities (what "message is not
 * modified" compares), or the reason it cannot parse (without the
 * "Bad Request: …" prefix).
 */
export function parseTelegramHtml(html: string, options: { allowBareAmpersand?: boolean } = {}): HtmlParseResult {
  const fail = (error: string): HtmlParseResult => ({ ok: false, error });
  const at = (i: number) => Buffer.byteLength(html.slice(0, i));
  const isSpace = (ch: string | undefined) => ch !== undefined && /\s/.test(ch);
  const open: { tag: string; spoiler: boolean; offset: number; attrs: Record<string, string> }[] = [];
  const entities: HtmlEntity[] = [];
  let text = '';
  let i = 0;

  while (i < html.length) {
    const ch = html[i]!;
    if (ch === '&') {
      const entity = decodeEntity(html, i);
      if (entity) {
        text += entity.char;
        i = entity.end;
        continue;
      }
      if (!options.allowBareAmpersand) return fail(`Unescaped "&" at byte offset ${at(i)}; send it as &amp;`);
    }
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    const begin = i++;
    if (html[i] !== '/') {
      while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
      if (i >= html.length) return fail(`Unclosed start tag at byte offset ${at(begin)}`);
      const tag = html.slice(begin + 1, i).toLowerCase();
      if (!SUPPORTED_TAGS.has(tag)) return fail(`Unsupported start tag "${tag}" at byte offset ${at(begin)}`);
      let spoiler = false;
      const attrs: Record<string, string> = {};
      while (html[i] !== '>') {
        while (i < html.length && isSpace(html[i])) i++;
        if (html[i] === '>') break;
        const nameStart = i;
        while (i < html.length && !isSpace(html[i]) && html[i] !== '=' && html[i] !== '>') i++;
        const name = html.slice(nameStart, i);
        if (!name) return fail(`Empty attribute name in the tag "${tag}" at byte offset ${at(begin)}`);
        while (i < html.length && isSpace(html[i])) i++;
        if (html[i] !== '=') return fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${at(begin)}`);
        i++;
        while (i < html.length && isSpace(html[i])) i++;
        if (i >= html.length) return fail(`Unclosed start tag "${tag}" at byte offset ${at(begin)}`);
        let value = '';
        const quote = html[i];
        if (quote === '"' || quote === "'") {
          i++;
          while (i < html.length && html[i] !== quote) value += html[i++];
          if (html[i] === quote) i++;
        } else {
          const tokenStart = i;
          while (i < html.length && /[A-Za-z0-9.-]/.test(html[i]!)) i++;
          value = html.slice(tokenStart, i).toLowerCase();
          if (i < html.length && !isSpace(html[i]) && html[i] !== '>') return fail(`Unexpected end of name token at byte offset ${at(tokenStart)}`);
        }
        if (i >= html.length) return fail(`Unclosed start tag at byte offset ${at(begin)}`);
        if (tag === 'span' && name === 'class' && value === 'tg-spoiler') spoiler = true;
        attrs[name.toLowerCase()] = value;
      }
      if (tag === 'span' && !spoiler) return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${at(begin)}`);
      open.push({ tag, spoiler, offset: text.length, attrs });
      i++;
      continue;
    }
    if (open.length === 0) return fail(`Unexpected end tag at byte offset ${at(begin)}`);
    while (i < html.length && !isSpace(html[i]) && html[i] !== '>') i++;
    const endTag = html.slice(begin + 2, i).toLowerCase();
    while (i < html.length && isSpace(html[i])) i++;
    if (html[i] !== '>') return fail(`Unclosed end tag at byte offset ${at(begin)}`);
    const opened = open.pop()!;
    const expected = opened.tag;
    if (endTag && endTag !== expected) {
      return fail(`Unmatched end tag at byte offset ${at(begin)}, expected "</${expected}>", found "</${endTag}>"`);
    }
    const entity = toEntity(opened, text.length);
    if (entity) entities.push(entity);
    i++;
  }
  if (open.length) return fail(`Can't find end tag corresponding to start tag "${open.at(-1)!.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length || a.type.localeCompare(b.type));
  return { ok: true, text, entities };
}

/** An empty entity is dropped, as Telegram drops it. */
function toEntity(o: { tag: string; offset: number; attrs: Record<string, string> }, end: number): HtmlEntity | null {
  const length = end - o.offset;
  if (length <= 0) return null;
  const entity: HtmlEntity = { type: ENTITY_TYPE[o.tag] ?? o.tag, offset: o.offset, length };
  if (o.tag === 'a' && o.attrs.href !== undefined) entity.url = o.attrs.href;
  if (o.tag === 'code' && o.attrs.class?.startsWith('language-')) entity.language = o.attrs.class.slice('language-'.length);
  if (o.tag === 'tg-emoji' && o.attrs['emoji-id'] !== undefined) entity.custom_emoji_id = o.attrs['emoji-id'];
  return entity;
}

/** &lt; &gt; &amp; &quot; and numeric references, the only ones Telegram knows; the ";" is optional there too. */
function decodeEntity(html: string, start: number): { char: string; end: number } | null {
  const m = /^&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z]+));?/i.exec(html.slice(start, start + 12));
  if (!m) return null;
  let char: string | undefined;
  if (m[3] !== undefined) char = NAMED_ENTITIES[m[3]];
  else {
    const code = m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (code > 0 && code < 0x10ffff) char = String.fromCodePoint(code);
  }
  return char === undefined ? null : { char, end: start + m[0].length };
}
