import { describe, expect, it } from 'vitest';
import { formatGtfsTime, parseGtfsDate, parseGtfsTime, serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';

describe('GTFS times and dates', () => {
  it.each([
    ['05:07:09', 18_429],
    ['5:07:09', 18_429],
    ['00:00:00', 0],
    ['24:00:00', 86_400],
    ['25:35:00', 92_100],
    ['48:00:01', 172_801],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseGtfsTime(text)).toBe(seconds);
  });

  it.each(['24:60:00', '7:5:00', '07:05', '7h05', '-1:00:00', ''])('refuses %j', (text) => {
    expect(parseGtfsTime(text)).toBeUndefined();
  });

  it('writes times past midnight as GTFS does', () => {
    expect(formatGtfsTime(92_100)).toBe('25:35:00');
    expect(formatGtfsTime(18_429)).toBe('05:07:09');
  });

  it('reads only real calendar dates', () => {
    expect(parseGtfsDate('20260902')).toBe('2026-09-02');
    expect(parseGtfsDate('20260230')).toBeUndefined();
    expect(parseGtfsDate('2026-09-02')).toBeUndefined();
  });

  it('places service-day seconds in the agency time zone, past midnight included', () => {
    expect(serviceTimeToEpochMs('2026-09-01', 5 * 3600, 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2026-08-31T22:00:00Z'));
    expect(serviceTimeToEpochMs('2026-09-01', 25 * 3600, 'Asia/Ho_Chi_Minh')).toBe(Date.parse('2026-09-01T18:00:00Z'));
  });

  it('counts from noon minus 12 h on a daylight-saving day, as the GTFS reference says', () => {
    // Paris springs forward at 02:00 on 29 March 2026: "08:00:00" is 08:00 CEST, "00:00:00" is 23:00 the day before.
    expect(serviceTimeToEpochMs('2026-03-29', 8 * 3600, 'Europe/Paris')).toBe(Date.parse('2026-03-29T06:00:00Z'));
    expect(serviceTimeToEpochMs('2026-03-29', 0, 'Europe/Paris')).toBe(Date.parse('2026-03-28T22:00:00Z'));
  });
});
