import { describe, expect, it } from 'vitest';
import { parseReminderInput, presetTime } from '../../../core/reminders/reminder-time.rules.js';
import { addWorkingTime } from '../../../core/followups/working-time.rules.js';
import { parseDaysOff, parseSchedule } from '../../../core/conversations/working-hours.rules.js';

// Wednesday 2 December 2026, 18:00 in Kyiv (UTC+2).
const NOW = new Date('2026-12-02T16:00:00Z');
const clock = { now: NOW, timeZone: 'Europe/Kyiv', morningMinutes: 9 * 60 };
const read = (text: string, language: 'en' | 'uk' = 'en') => parseReminderInput(text, language, clock);

describe('typed reminder times (§10), in the person\'s zone', () => {
  it.each([
    ['in 3 days', '2026-12-05T16:00:00.000Z', null],
    ['fri 15:00 call back', '2026-12-04T13:00:00.000Z', 'call back'],
    ['12.03 10:30', '2027-03-12T08:30:00.000Z', null],
    ['12.03.2027 10:30 send the offer', '2027-03-12T08:30:00.000Z', 'send the offer'],
    ['tomorrow 9:30 — ask about the budget', '2026-12-03T07:30:00.000Z', 'ask about the budget'],
    ['in 2 hours', '2026-12-02T18:00:00.000Z', null],
    ['monday', '2026-12-07T07:00:00.000Z', null],
    ['25.12', '2026-12-25T07:00:00.000Z', null],
  ])('reads English "%s"', (text, at, body) => {
    expect(read(text)).toEqual({ dueAt: new Date(at), body });
  });

  it.each([
    ['через 3 дні', '2026-12-05T16:00:00.000Z', null],
    ['пт 15:00 передзвонити', '2026-12-04T13:00:00.000Z', 'передзвонити'],
    ["в п’ятницю о 15:00", '2026-12-04T13:00:00.000Z', null],
    ['завтра о 9:00 надіслати КП', '2026-12-03T07:00:00.000Z', 'надіслати КП'],
    ['через 30 хвилин', '2026-12-02T16:30:00.000Z', null],
    ['12.03 10:30', '2027-03-12T08:30:00.000Z', null],
  ])('reads Ukrainian "%s"', (text, at, body) => {
    expect(read(text, 'uk')).toEqual({ dueAt: new Date(at), body });
  });

  it('reads an English time typed by a Ukrainian reader too', () => {
    expect(read('tomorrow 10:00', 'uk')?.dueAt).toEqual(new Date('2026-12-03T08:00:00Z'));
  });

  it('finds no time in plain words or impossible dates', () => {
    expect(read('call them back')).toBeNull();
    expect(read('32.13 10:00')).toBeNull();
    expect(read('привіт', 'uk')).toBeNull();
  });

  it('presets: 15 minutes, an hour, and tomorrow morning in the person\'s zone', () => {
    expect(presetTime('m15', clock)).toEqual(new Date('2026-12-02T16:15:00Z'));
    expect(presetTime('h1', clock)).toEqual(new Date('2026-12-02T17:00:00Z'));
    expect(presetTime('morning', clock)).toEqual(new Date('2026-12-03T07:00:00Z'));
    expect(presetTime('morning', { ...clock, timeZone: 'America/New_York' })).toEqual(new Date('2026-12-03T14:00:00Z'));
  });
});

describe('working time (SLA and ladder clocks)', () => {
  const hours = { schedule: parseSchedule('mon-fri 09:00-18:00'), timeZone: 'Europe/Kyiv', daysOff: parseDaysOff('2026-12-07') };

  it('counts minutes inside working hours as they pass', () => {
    expect(addWorkingTime(new Date('2026-12-02T08:00:00Z'), 15, hours)).toEqual(new Date('2026-12-02T08:15:00Z'));
  });

  it('starts counting at the next opening, and skips weekends and days off', () => {
    // Friday 17:55 Kyiv: 5 minutes on Friday, the other 10 on Tuesday (Monday is a day off).
    expect(addWorkingTime(new Date('2026-12-04T15:55:00Z'), 15, hours)).toEqual(new Date('2026-12-08T07:10:00Z'));
    // Saturday night: Tuesday 09:15.
    expect(addWorkingTime(new Date('2026-12-05T22:00:00Z'), 15, hours)).toEqual(new Date('2026-12-08T07:15:00Z'));
  });

  it('counts on the wall clock when the team has no working hours set', () => {
    const none = { ...hours, schedule: parseSchedule('none') };
    expect(addWorkingTime(new Date('2026-12-05T22:00:00Z'), 15, none)).toEqual(new Date('2026-12-05T22:15:00Z'));
  });
});
