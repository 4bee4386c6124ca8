import { describe, expect, it } from 'vitest';
import { timeWords } from '../../bot/texts/time-words.js';

describe('times as the reader reads them (issue 9)', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const MIN = 60_000;

  it('says how long ago, with each language’s plural forms', () => {
    const en = timeWords('en', 'UTC');
    const uk = timeWords('uk', 'UTC');
    expect(en.ago(ago(20_000), now)).toBe('just now');
    expect(uk.ago(ago(20_000), now)).toBe('щойно');
    expect(en.ago(ago(1 * MIN), now)).toBe('1 minute ago');
    expect(uk.ago(ago(1 * MIN), now)).toBe('1 хвилину тому');
    expect(uk.ago(ago(3 * MIN), now)).toBe('3 хвилини тому');
    expect(uk.ago(ago(5 * MIN), now)).toBe('5 хвилин тому');
    expect(uk.ago(ago(21 * MIN), now)).toBe('21 хвилину тому');
    expect(en.ago(ago(3 * 60 * MIN), now)).toBe('3 hours ago');
    expect(en.ago(ago(26 * 60 * MIN), now)).toBe('yesterday');
    expect(uk.ago(ago(26 * 60 * MIN), now)).toBe('учора');
    expect(en.ago(ago(15 * 24 * 60 * MIN), now)).toBe('2 weeks ago');
    // A clock slightly ahead of ours is still "just now", never "in 2 seconds".
    expect(en.ago(new Date(now.getTime() + 2_000), now)).toBe('just now');
  });

  it('shows the absolute time in the reader’s zone, with the year only when it is not this year', () => {
    const at = new Date('2026-07-01T21:30:00Z');
    expect(timeWords('en', 'UTC').at(at, now)).toBe('1 Jul, 21:30');
    expect(timeWords('en', 'Europe/Kyiv').at(at, now)).toBe('2 Jul, 00:30');
    expect(timeWords('en', 'America/New_York').at(at, now)).toBe('1 Jul, 17:30');
    expect(timeWords('uk', 'Europe/Kyiv').at(at, now)).toBe('2 лип., 00:30');
    expect(timeWords('en', 'UTC').at(new Date('2025-12-31T08:05:00Z'), now)).toBe('31 Dec 2025, 08:05');
    expect(timeWords('en', 'UTC').agoAt(ago(2 * 60 * MIN), now)).toBe('2 hours ago (2 Dec, 10:00)');
  });
});
