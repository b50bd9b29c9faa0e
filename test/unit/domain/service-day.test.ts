import { describe, expect, it } from 'vitest';
import { localDateOf, localHhmm, serviceDayOf, serviceDaysEndingOn, zoneOffsetMs } from '../../../shared/kernel/time/service-day.js';

describe('service days in Asia/Ho_Chi_Minh', () => {
  it('is UTC+7', () => {
    expect(zoneOffsetMs(Date.parse('2026-11-26T00:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe(7 * 3_600_000);
  });

  it.each([
    ['2026-11-25T23:00:00Z', '2026-11-26'], // 06:00 local
    ['2026-11-26T16:59:00Z', '2026-11-26'], // 23:59 local
    ['2026-11-26T19:59:00Z', '2026-11-26'], // 02:59 local next day: still the same service day
    ['2026-11-26T20:00:00Z', '2026-11-27'], // 03:00 local: the next service day starts
  ])('puts %s in service day %s', (instant, day) => {
    expect(serviceDayOf(Date.parse(instant))).toBe(day);
  });

  it('gives the plain local date without the service-day shift', () => {
    expect(localDateOf(Date.parse('2026-11-26T19:59:00Z'))).toBe('2026-11-27');
  });

  it('honours other time zones and their daylight saving', () => {
    expect(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), 'Europe/Paris')).toBe(2 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-01-01T12:00:00Z'), 'Europe/Paris')).toBe(3_600_000);
  });

  it('tells the local time of day, in the zone asked for', () => {
    expect(localHhmm(Date.parse('2026-11-26T00:42:00Z'))).toBe('07:42');
    expect(localHhmm(Date.parse('2026-11-26T19:59:00Z'), 'Asia/Ho_Chi_Minh')).toBe('02:59');
    expect(localHhmm(Date.parse('2026-07-01T12:05:00Z'), 'Europe/Paris')).toBe('14:05');
    expect(localHhmm(Date.parse('2026-01-01T12:05:00Z'), 'Europe/Paris')).toBe('13:05');
  });
});

describe('service days ending on a day', () => {
  it('lists the days up to and including the end day, oldest first', () => {
    expect(serviceDaysEndingOn('2026-03-10', 3)).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
    expect(serviceDaysEndingOn('2026-03-10', 1)).toEqual(['2026-03-10']);
    expect(serviceDaysEndingOn('2026-03-10', 0)).toEqual([]);
  });

  it('steps over month and year ends and 29 February', () => {
    expect(serviceDaysEndingOn('2028-03-01', 3)).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(serviceDaysEndingOn('2027-01-01', 2)).toEqual(['2026-12-31', '2027-01-01']);
  });

  it('refuses what is not a day', () => {
    expect(() => serviceDaysEndingOn('2026-3-10', 2)).toThrow(RangeError);
    expect(() => serviceDaysEndingOn('yesterday', 2)).toThrow(RangeError);
  });
});
