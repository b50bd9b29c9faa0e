import { describe, expect, it } from 'vitest';
import { activeServiceIds, serviceRunsOn, tripsOn, weekdayIndex } from '../../../shared/gtfs/calendar.js';
import { loadGtfsFiles } from '../../../shared/gtfs/load.js';
import type { Service } from '../../../shared/gtfs/model.js';
import { smallFeed } from '../../fixtures/gtfs/small-feed.js';

describe('service calendar', () => {
  const { network } = loadGtfsFiles(smallFeed());
  const wk = network.services.get('WK')!;

  it('reads weekday flags, the date range and the exceptions', () => {
    expect(wk).toEqual({
      serviceId: 'WK',
      weekdays: [true, true, true, true, true, false, false],
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      addedDates: ['2026-09-05'],
      removedDates: ['2026-09-02'],
    });
    expect(weekdayIndex('2026-09-07')).toBe(0); // a Monday
    expect(weekdayIndex('2026-09-06')).toBe(6); // a Sunday
  });

  it.each([
    ['2026-09-01', true, 'a Tuesday in range'],
    ['2026-09-02', false, 'a Wednesday removed by calendar_dates (National Day)'],
    ['2026-09-05', true, 'a Saturday added by calendar_dates (make-up working day)'],
    ['2026-09-06', false, 'a Sunday'],
    ['2025-12-31', false, 'a Wednesday before the range'],
    ['2027-01-04', false, 'a Monday after the range'],
  ])('WK on %s runs: %s (%s)', (date, runs) => {
    expect(serviceRunsOn(wk, date)).toBe(runs);
  });

  it('runs a service defined only by calendar_dates on its added dates', () => {
    expect(network.services.get('SAT')!.weekdays.every((d) => !d)).toBe(true);
    expect(activeServiceIds(network.services, '2026-09-12')).toEqual(new Set(['SAT']));
    expect(activeServiceIds(network.services, '2026-09-19')).toEqual(new Set());
  });

  it('lets an added date run even outside the date range', () => {
    const service: Service = {
      serviceId: 'X',
      weekdays: [true, true, true, true, true, true, true],
      startDate: '2026-01-01',
      endDate: '2026-01-31',
      addedDates: ['2026-03-01'],
      removedDates: [],
    };
    expect(serviceRunsOn(service, '2026-03-01')).toBe(true);
    expect(serviceRunsOn(service, '2026-03-02')).toBe(false);
  });

  it('lists the trips of a service date in departure order', () => {
    expect(tripsOn(network, '2026-09-01').map((t) => t.tripId)).toEqual(['T1', 'T2', 'T4', 'T3']);
    expect(tripsOn(network, '2026-09-02')).toEqual([]);
    expect(tripsOn(network, '2026-09-12').map((t) => t.tripId)).toEqual(['T5']);
  });
});
