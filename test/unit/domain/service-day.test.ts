import { describe, expect, it } from 'vitest';
import { localDateOf, serviceDayOf, zoneOffsetMs } from '../../../shared/kernel/time/service-day.js';

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
});
