/** Stage 3's timing alone: when the bus reached and left a stop, from its slow fixes or the zone's traversal. */
import { describe, expect, it } from 'vitest';
import { arriveAt, clamp, departFrom, doorsAround, isSlow, reachOf, traversal } from '../../../shared/domain/journeys/stop-visit-timing.js';
import { DEFAULT_VISIT_CONFIG as c } from '../../../shared/domain/journeys/stop-visits.js';
import type { MatchedPosition } from '../../../shared/domain/journeys/types.js';

const T0 = 1_790_000_000_000;
/** A kept position at `tS` seconds, `m` along the shape, reporting `speedKmh`. */
const at = (tS: number, m: number, speedKmh: number, extra: Partial<MatchedPosition> = {}): MatchedPosition => ({
  ts: T0 + tS * 1000,
  distanceM: m,
  offsetM: 0,
  speedKmh,
  speedSource: 'fix',
  kept: true,
  ...extra,
});

describe('isSlow, doorsAround, reachOf, clamp', () => {
  it.each<[string, MatchedPosition, boolean]>([
    ['standing', at(0, 0, 0), true],
    ['crawling below the stop speed', at(0, 0, 4.9), true],
    ['moving', at(0, 0, 20), false],
    ['moving with the door open', at(0, 0, 20, { doorOpen: true }), true],
  ])('a fix %s is slow: %s', (_, p, slow) => {
    expect(isSlow(p, c)).toBe(slow);
  });

  it('tells the doors from the zone, or that they stayed shut when fixes around reported them, or nothing', () => {
    expect(doorsAround([], [at(0, 0, 0, { doorOpen: true })])).toBe(true);
    expect(doorsAround([at(0, 0, 0, { doorOpen: false })], [at(0, 0, 0)])).toBe(false);
    expect(doorsAround([at(0, 0, 0)], [at(0, 0, 0)])).toBeUndefined();
  });

  it('reads a slow fix as at its stop within twice its error, believing no better than 5 m', () => {
    expect(reachOf(at(0, 0, 0, { accuracyM: 12 }))).toBe(24);
    expect(reachOf(at(0, 0, 0, { accuracyM: 1 }))).toBe(10);
    expect(clamp(5, 0, 3)).toBe(3);
    expect(clamp(-1, 0, 3)).toBe(0);
  });
});

describe('arriveAt and departFrom', () => {
  it('extrapolates the arrival from the fix before at its speed, within the two fixes', () => {
    // 36 km/h is 10 m/s: 50 m from 100 m to 150 m take 5 s.
    const kept = [at(0, 100, 36), at(10, 150, 0)];
    expect(arriveAt(kept, 1, c)).toBe(T0 + 5000);
    // A fix before that was already slow: the bus was there at the slow fix's time at the latest.
    expect(arriveAt([at(0, 100, 2), at(10, 150, 0)], 1, c)).toBe(T0 + 10_000);
    expect(arriveAt([at(10, 150, 0)], 0, c)).toBe(T0 + 10_000);
  });

  it('extrapolates the departure backwards from the fix after at its speed, within the two fixes', () => {
    const kept = [at(0, 150, 0), at(10, 200, 36)];
    expect(departFrom(kept, 0, c)).toBe(T0 + 5000);
    expect(departFrom([at(0, 150, 0), at(10, 200, 1)], 0, c)).toBe(T0);
  });
});

describe('traversal', () => {
  it('times a bus driving through at a steady speed as losing nothing at the stop', () => {
    const kept = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => at(i * 5, i * 50, 36));
    // The stop at 175 m; fixes 3 (150 m) and 4 (200 m) bracket its zone.
    const t = traversal(kept, 3, 4, 175, { prevM: 0, nextM: 400 }, c);
    expect(t.arrivalMs).toBeCloseTo(T0 + 17_500, 6);
    expect(t.departureMs).toBeCloseTo(T0 + 17_500, 6);
    expect(t.freeFlowKmh).toBe(36);
  });

  it('times a bus that lost time between the bracketing fixes', () => {
    const kept = [at(0, 0, 36), at(5, 50, 36), at(10, 100, 36), at(40, 150, 36), at(45, 200, 36)];
    const t = traversal(kept, 2, 3, 125, { prevM: 0, nextM: 400 }, c);
    expect(t.arrivalMs).toBeCloseTo(T0 + 12_500, 6);
    expect(t.departureMs).toBeCloseTo(T0 + 37_500, 6);
  });
});
