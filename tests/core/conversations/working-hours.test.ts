import { describe, expect, it } from 'vitest';
import {
  isWorkingTime, offHoursPeriod, parseDaysOff, parseSchedule, type TeamHours,
} from '../../../core/conversations/working-hours.rules.js';

const hours = (spec: string, timeZone = 'Europe/Kyiv', daysOff = ''): TeamHours =>
  ({ schedule: parseSchedule(spec), timeZone, daysOff: parseDaysOff(daysOff) });

describe('working hours (§12)', () => {
  const team = hours('mon-fri 09:00-18:00; sat 10:00-14:00');

  it('reads days, ranges, wrapping ranges and "none"; refuses what it cannot read', () => {
    expect(parseSchedule('fri-mon 10:00-12:00').map((d) => d.length)).toEqual([1, 0, 0, 0, 1, 1, 1]);
    expect(parseSchedule('mon 09:00-12:00, 13:00-18:00')[0]).toEqual([[540, 720], [780, 1080]]);
    expect(parseSchedule('none').every((d) => d.length === 0)).toBe(true);
    for (const bad of ['', 'mon', 'mon 18:00-09:00', 'funday 09:00-10:00', 'mon 9-18', 'mon 09:00-25:00']) {
      expect(() => parseSchedule(bad)).toThrow();
    }
    expect(() => parseDaysOff('2026-13-01,x')).toThrow();
  });

  it('judges the time in the team\'s timezone, not the server\'s', () => {
    // 2026-12-07 is a Monday; 06:30 UTC is 08:30 in Kyiv (UTC+2), 07:30 UTC is 09:30.
    expect(isWorkingTime(new Date('2026-12-07T06:30:00Z'), team)).toBe(false);
    expect(isWorkingTime(new Date('2026-12-07T07:30:00Z'), team)).toBe(true);
    expect(isWorkingTime(new Date('2026-12-07T07:30:00Z'), hours('mon-fri 09:00-18:00', 'America/New_York'))).toBe(false);
  });

  it('names one off-hours period for an evening, the night and the morning after', () => {
    const evening = offHoursPeriod(new Date('2026-12-07T17:00:00Z'), team); // Mon 19:00 Kyiv
    const night = offHoursPeriod(new Date('2026-12-07T23:00:00Z'), team); // Tue 01:00
    const morning = offHoursPeriod(new Date('2026-12-08T06:00:00Z'), team); // Tue 08:00
    expect(evening).toBe('2026-12-07T18:00');
    expect(night).toBe(evening);
    expect(morning).toBe(evening);
    expect(offHoursPeriod(new Date('2026-12-08T08:00:00Z'), team)).toBeNull();
    expect(offHoursPeriod(new Date('2026-12-08T17:00:00Z'), team)).toBe('2026-12-08T18:00');
  });

  it('spans a weekend and days off as one period', () => {
    const saturdayEvening = offHoursPeriod(new Date('2026-12-12T14:00:00Z'), team); // Sat 16:00
    const sunday = offHoursPeriod(new Date('2026-12-13T10:00:00Z'), team);
    expect(saturdayEvening).toBe('2026-12-12T14:00');
    expect(sunday).toBe(saturdayEvening);
    const holiday = hours('mon-fri 09:00-18:00', 'Europe/Kyiv', '2026-12-25');
    expect(isWorkingTime(new Date('2026-12-25T10:00:00Z'), holiday)).toBe(false);
    expect(offHoursPeriod(new Date('2026-12-25T10:00:00Z'), holiday)).toBe('2026-12-24T18:00');
    expect(offHoursPeriod(new Date('2026-12-25T10:00:00Z'), hours('none'))).toBe('closed');
  });
});
