import { describe, expect, it } from 'vitest';
import { COLD_STAGES, HISTORY_ACTIONS, LEAD_SOURCES, LOST_REASON_CODES, SYSTEM_NOTE_CODES, USER_STATUSES } from '../../core/index.js';
import { en } from '../../bot/texts/en.js';
import { uk } from '../../bot/texts/uk.js';

/**
 * Every word a user reads comes in their language (issue 9). These walk
 * the two catalogs side by side: a Ukrainian text that still equals its
 * English one is a word nobody translated.
 */

// Words that are the same in both languages on purpose: names, abbreviations, formats.
const SAME_IN_BOTH = /^(?:[\s\p{P}\p{S}\p{M}\d]|AI|UTM|Email|email|CRM|JSON|Tilda|Typeform|Tally|Jotform|Webflow|HubSpot|MB|KB|HTML|PDF|ID|id|\/\w+|<\/?\w+>|&lt;|&gt;|&amp;|https?:\S+|[A-Z_]{2,}|X|x)*$/u;

/** Leaves of a catalog: strings, and functions called with sample arguments. */
function leaves(node: unknown, path: string[] = []): [string, string][] {
  if (typeof node === 'string') return [[path.join('.'), node]];
  if (typeof node === 'function') {
    // Numbers and names for most; lists for the few that take them (e.g. people's names).
    for (const sample of [(i: number) => (i % 2 === 0 ? 2 : 'X'), () => ['X', 'Y'], () => 'X']) {
      try {
        const out = (node as (...a: unknown[]) => unknown)(...Array.from({ length: node.length }, (_, i) => sample(i)));
        return typeof out === 'string' ? [[path.join('.'), out]] : leaves(out, path);
      } catch {
        // Not these arguments: try the next sample.
      }
    }
    return [[path.join('.'), '(not callable with samples)']];
  }
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

describe('texts in both languages (issue 9)', () => {
  const ukByPath = new Map(leaves(uk));

  it('has the same keys in uk as in en', () => {
    expect([...ukByPath.keys()].sort()).toEqual(leaves(en).map(([p]) => p).sort());
  });

  it('translates every text that has a translatable word: no Ukrainian text equals its English one', () => {
    expect(ukByPath.size).toBeGreaterThan(400);
    const untranslated = leaves(en)
      .filter(([, text]) => !SAME_IN_BOTH.test(text))
      .filter(([path, text]) => ukByPath.get(path) === text)
      .map(([path, text]) => `${path}: ${text}`);
    expect(untranslated).toEqual([]);
  });

  it('names every stage, history action, lost reason, system note, source and status in Ukrainian', () => {
    const pairs: [string, Record<string, string>, Record<string, string>, readonly string[]][] = [
      ['stages', en.stages, uk.stages, COLD_STAGES],
      ['historyActions', en.historyActions, uk.historyActions, HISTORY_ACTIONS],
      ['lostReasons', en.lostReasons, uk.lostReasons, LOST_REASON_CODES],
      ['systemNotes', en.systemNotes, uk.systemNotes, SYSTEM_NOTE_CODES],
      ['leadSources', en.leadSources, uk.leadSources, LEAD_SOURCES],
      ['statuses', en.statuses, uk.statuses, USER_STATUSES],
    ];
    for (const [name, enWords, ukWords, codes] of pairs) {
      for (const code of codes) {
        expect(ukWords[code], `${name}.${code}`).not.toBe(enWords[code]);
        // A raw code is never what a reader sees in Ukrainian.
        expect(ukWords[code], `${name}.${code}`).not.toBe(code);
        expect(ukWords[code], `${name}.${code}`).toMatch(/[а-яіїєґ]/i);
      }
    }
  });

  it('keeps Undo, Cancel and Roll back apart, in both languages', () => {
    for (const t of [en, uk]) {
      const words = [t.undo.button, t.common.cancel, t.card.rollback].map((w) => w.replace(/^\P{L}+/u, ''));
      expect(new Set(words).size).toBe(3);
    }
    expect(uk.undo.button).toBe('↩️ Відмінити');
    expect(uk.common.cancel).toBe('❌ Скасувати');
  });

  it('uses the Ukrainian plural forms (1 день, 2 дні, 5 днів, 21 день, 1,5 дня)', () => {
    const alert = (days: number) => uk.notify.staleAlert(1, 'X', days, '—');
    expect(alert(1)).toContain('вже 1 день.');
    expect(alert(3)).toContain('вже 3 дні.');
    expect(alert(5)).toContain('вже 5 днів.');
    expect(alert(11)).toContain('вже 11 днів.');
    expect(alert(21)).toContain('вже 21 день.');
    expect(alert(24)).toContain('вже 24 дні.');
    expect(alert(1.5)).toContain('вже 1.5 дня.');
    expect(uk.actions.tooShort(1)).toContain('1 символ.');
    expect(uk.actions.tooShort(10)).toContain('10 символів.');
    expect(uk.errors.RATE_LIMITED(2)).toContain('за 2 хвилини.');
    expect(en.notify.staleAlert(1, 'X', 1, '—')).toContain('for 1 day.');
    expect(en.notify.staleAlert(1, 'X', 7, '—')).toContain('for 7 days.');
  });
});
