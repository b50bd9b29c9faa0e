import { describe, expect, it } from 'vitest';
import { scheduledAtDistanceMs, vehicleState } from '../../../shared/domain/predictions/vehicle-state.js';
import { MIN, T0, trip } from './fixtures.js';

describe('vehicle state on its trip', () => {
  const t = trip('A');
  it.each([
    { name: 'at the first stop before departure: not early', at: { tsMs: T0 - 2 * MIN, distanceM: 0 }, next: 1, atStop: true, delayS: 0 },
    { name: 'at the first stop 3 min after departure time', at: { tsMs: T0 + 3 * MIN, distanceM: 5 }, next: 1, atStop: true, delayS: 180 },
    { name: 'half-way to S2 on time', at: { tsMs: T0 + 60_000, distanceM: 500 }, next: 1, atStop: false, delayS: 0 },
    { name: 'half-way to S2 two minutes late', at: { tsMs: T0 + 3 * MIN, distanceM: 500 }, next: 1, atStop: false, delayS: 120 },
    { name: 'at S3 (within 20 m): S3 reached', at: { tsMs: T0 + 270_000, distanceM: 1990 }, next: 3, atStop: true, delayS: 1 },
    { name: 'past the last stop: done', at: { tsMs: T0 + 11 * MIN, distanceM: 4000 }, next: 5, atStop: true, delayS: 90 },
  ])('$name', ({ at, next, atStop, delayS }) => {
    const s = vehicleState(t, 'B1', at);
    expect(s.nextStopIndex).toBe(next);
    expect(s.atStop).toBe(atStop);
    expect(s.delayS).toBeCloseTo(delayS, 0);
  });

  it.each([
    { distanceM: -10, expectMs: T0 },
    { distanceM: 500, expectMs: T0 + 60_000 },
    { distanceM: 1000, expectMs: T0 + 120_000 },
    { distanceM: 9999, expectMs: T0 + 570_000 },
  ])('scheduled instant at $distanceM m', ({ distanceM, expectMs }) => {
    expect(scheduledAtDistanceMs(t, distanceM)).toBe(expectMs);
  });
});
