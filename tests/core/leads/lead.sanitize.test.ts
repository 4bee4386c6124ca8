import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../../core/leads/lead.sanitize.js';

const TAG = /<\/?[a-z!][^>]*>/i;

describe('sanitizeText (§2): stored text is plain, with no tags whatever the encoding', () => {
  it.each([
    ['real tags', '<script>alert(1)</script>Wants a <b>demo</b>', 'Wants a demo'],
    ['entity-encoded tags', '&lt;script&gt;alert(1)&lt;/script&gt;Hi', 'Hi'],
    ['an encoded bold tag keeps its text', 'a &lt;b&gt;bold&lt;/b&gt; move', 'a bold move'],
    ['double-encoded tags', '&amp;lt;b&amp;gt;x&amp;lt;/b&amp;gt;', 'x'],
    ['triple-encoded tags', '&amp;amp;lt;i&amp;amp;gt;y&amp;amp;lt;/i&amp;amp;gt;', 'y'],
    ['numeric entities', '&#60;img src=x onerror=alert(1)&#62;ok', 'ok'],
    ['hex entities', '&#x3C;iframe src=//evil&#x3E;&#x3C;/iframe&#x3E;fine', 'fine'],
  ])('strips %s', (_case, raw, stored) => {
    const text = sanitizeText(raw);
    expect(text).toBe(stored);
    expect(text ?? '').not.toMatch(TAG);
  });

  it('leaves nothing when the text was only a script', () => {
    expect(sanitizeText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBeNull();
  });

  it.each([
    ['Tom & Jerry', 'Tom & Jerry'],
    ['Tom &amp; Jerry', 'Tom & Jerry'],
    ['1 < 2', '1 < 2'],
    ['a > b', 'a > b'],
    ['x < y and y > z', 'x < y and y > z'],
    ['5 &lt; 6', '5 < 6'],
    ['"quoted" and \'single\'', '"quoted" and \'single\''],
    ['Great 👍🏽 café Київ', 'Great 👍🏽 café Київ'],
    ['AT&T', 'AT&T'],
  ])('keeps %j as plain text', (raw, stored) => {
    expect(sanitizeText(raw)).toBe(stored);
  });

  it('trims, caps at the limit in characters (not UTF-16 units) and turns empty into null', () => {
    expect(sanitizeText('  hello  ')).toBe('hello');
    expect(sanitizeText('😀'.repeat(10), 4)).toBe('😀'.repeat(4));
    expect(sanitizeText('   ')).toBeNull();
    expect(sanitizeText(null)).toBeNull();
  });

  it('stays fast on deeply encoded input', () => {
    const deep = `${'&amp;'.repeat(5000)}lt;b&gt;`;
    const started = performance.now();
    const text = sanitizeText(deep, 100_000) ?? '';
    expect(performance.now() - started).toBeLessThan(2000);
    expect(text).not.toMatch(TAG);
  });
});
