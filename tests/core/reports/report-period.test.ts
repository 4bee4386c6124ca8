import { describe, expect, it } from 'vitest';
import { periodBounds, periodDates, startOfLocalDay } from '../../../core/reports/report-period.rules.js';

describe('report periods in the viewer\'s zone (§14)', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  it('7, 30 and 90 days begin at a local midnight and end now', () => {
    expect(periodBounds('d7', now, 'Europe/Kyiv')).toEqual({ from: new Date('2026-11-25T22:00:00Z'), to: now });
    expect(periodBounds('d30', now, 'UTC').from).toEqual(new Date('2026-11-03T00:00:00Z'));
    expect(periodBounds('d90', now, 'America/New_York').from).toEqual(new Date('2026-09-04T04:00:00Z'));
  });

  it('this month and last month follow the calendar, across a daylight-saving change', () => {
    expect(periodBounds('month', now, 'Europe/Kyiv')).toEqual({ from: new Date('2026-11-30T22:00:00Z'), to: now });
    expect(periodBounds('last_month', now, 'Europe/Kyiv'))
      .toEqual({ from: new Date('2026-10-31T22:00:00Z'), to: new Date('2026-11-30T22:00:00Z') });
    // October in Kyiv starts in summer time (UTC+3) and ends in winter time (UTC+2).
    expect(periodBounds('last_month', new Date('2026-11-15T10:00:00Z'), 'Europe/Kyiv'))
      .toEqual({ from: new Date('2026-09-30T21:00:00Z'), to: new Date('2026-10-31T22:00:00Z') });
  });

  it('January\'s last month is the previous year\'s December; late evening UTC is already tomorrow in Kyiv', () => {
    const b = periodBounds('last_month', new Date('2027-01-01T01:00:00Z'), 'UTC');
    expect(b).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(periodDates(b, 'UTC')).toEqual({ first: '2026-12-01', last: '2026-12-31' });
    expect(periodBounds('d7', new Date('2026-12-02T23:30:00Z'), 'Europe/Kyiv').from).toEqual(startOfLocalDay('2026-11-27', 'Europe/Kyiv'));
  });
});
