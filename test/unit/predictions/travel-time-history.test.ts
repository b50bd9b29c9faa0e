import { describe, expect, it } from 'vitest';
import {
  emptyHistory,
  expectedDwellS,
  expectedSegmentS,
  learnFromVisits,
  startServiceDay,
  timeBand,
  DEFAULT_HISTORY_CONFIG as C,
} from '../../../shared/domain/predictions/travel-time-history.js';
import { learnedTravelTimePredictor } from '../../../shared/domain/predictions/predictors.js';
import { vehicleState } from '../../../shared/domain/predictions/vehicle-state.js';
import { MIN, T0, trip, visited } from './fixtures.js';

const scheduled = () => 120;

describe('travel-time history', () => {
  it.each([
    { name: '08:00 local is band 8', ts: T0, band: 8 },
    { name: '07:59 local is band 7', ts: T0 - 60_000, band: 7 },
    { name: 'local midnight is band 0', ts: T0 - 8 * 60 * MIN, band: 0 },
  ])('time band: $name', ({ ts, band }) => {
    expect(timeBand(ts, C)).toBe(band);
  });

  it.each([
    { name: 'nothing learned: the schedule', visits: [], expectS: 120 },
    { name: 'one run of 180 s', visits: [visited(1, T0, T0 + 10_000), visited(2, T0 + 190_000, T0 + 220_000)], expectS: 180 },
    { name: 'a skipped stop in between gives no segment', visits: [visited(1, T0, T0 + 10_000), visited(3, T0 + 400_000, T0 + 420_000)], expectS: 120 },
  ])('learns segment running times: $name', ({ visits, expectS }) => {
    const h = emptyHistory();
    learnFromVisits(h, { tripId: 'A', patternId: 'P1', visits, scheduledSegmentS: scheduled });
    expect(expectedSegmentS(h, 'P1', 1, T0 + 5 * MIN, 120, C)).toBeCloseTo(expectS, 0);
  });

  it('learns each visit once, however often it is produced', () => {
    const h = emptyHistory();
    const visits = [visited(1, T0, T0 + 10_000), visited(2, T0 + 190_000, T0 + 220_000)];
    learnFromVisits(h, { tripId: 'A', patternId: 'P1', visits, scheduledSegmentS: scheduled });
    learnFromVisits(h, { tripId: 'A', patternId: 'P1', visits, scheduledSegmentS: scheduled });
    expect([...h.segments.values()]).toEqual([{ meanS: 180, n: 1 }]);
  });

  it('weights recent runs more (exponential decay) and blends in the latest vehicle, fading with age', () => {
    const h = emptyHistory();
    for (const [i, runS] of [100, 100, 100, 200].entries()) {
      const dep = T0 + i * 10 * MIN;
      learnFromVisits(h, {
        tripId: `T${i}`,
        patternId: 'P1',
        visits: [visited(1, dep - 10_000, dep), visited(2, dep + runS * 1000, dep + runS * 1000 + 20_000)],
        scheduledSegmentS: scheduled,
      });
    }
    const band = [...h.segments.values()][0]!;
    expect(band.meanS).toBeCloseTo(100 + C.alpha * 100, 5);
    const justAfter = expectedSegmentS(h, 'P1', 1, T0 + 34 * MIN, 120, C);
    const muchLater = expectedSegmentS(h, 'P1', 1, T0 + 50 * MIN + 6 * 60 * MIN, 120, C);
    expect(justAfter).toBeGreaterThan(band.meanS);
    expect(justAfter).toBeLessThan(200);
    expect(muchLater).toBeLessThan(justAfter);
  });

  it('learns dwell per stop and hour, not at the first stop', () => {
    const h = emptyHistory();
    learnFromVisits(h, {
      tripId: 'A',
      patternId: 'P1',
      visits: [visited(1, T0 - 5 * MIN, T0), visited(2, T0 + 120_000, T0 + 160_000)],
      scheduledSegmentS: scheduled,
    });
    expect(expectedDwellS(h, 'S2', T0 + 3 * MIN, 15, C)).toBe(40);
    expect(expectedDwellS(h, 'S1', T0, 15, C)).toBe(15);
    expect(expectedDwellS(h, 'S2', T0 + 2 * 60 * MIN, 15, C)).toBe(15);
  });

  it.each([
    { name: 'without the pattern-wide ratio: the history', weight: 0, expectS: 130 },
    { name: 'with it: slower, like the pattern’s latest runs', weight: 1, expectGreater: 130 },
  ])('a segment with no recent run of its own: $name', ({ weight, expectS, expectGreater }) => {
    const h = emptyHistory();
    const run = (seq: number, dep: number, runS: number) =>
      learnFromVisits(h, {
        tripId: `T${seq}-${dep}`,
        patternId: 'P1',
        visits: [visited(seq, dep - 10_000, dep), visited(seq + 1, dep + runS * 1000, dep + runS * 1000 + 20_000)],
        scheduledSegmentS: scheduled,
      });
    // Segment 3 ran at 130 s two hours ago; segments 1 and 2 run 50 % slower than their history just now.
    run(3, T0 - 120 * MIN, 130);
    for (const seq of [1, 2]) {
      run(seq, T0 - 60 * MIN, 100);
      run(seq, T0 - 2 * MIN, 150);
    }
    const c = { ...C, patternRatioWeight: weight, ratioFadeMin: 5 };
    const s = expectedSegmentS(h, 'P1', 3, T0, 120, c);
    if (expectS !== undefined) expect(s).toBeCloseTo(expectS, 0);
    if (expectGreater !== undefined) expect(s).toBeGreaterThan(expectGreater + 10);
  });

  it('carries over service days: the first trip of the next day is predicted from what the day before learned', () => {
    const DAY = 24 * 60 * MIN;
    // Day 1: the segments of trip A ran 180 s (the schedule says 120 s).
    const day1 = emptyHistory();
    const runs = (dayMs: number) => [1, 2, 3, 4, 5].map((seq) => visited(seq, dayMs + T0 + (seq - 1) * 210_000 - 30_000, dayMs + T0 + (seq - 1) * 210_000));
    learnFromVisits(day1, { tripId: 'A', patternId: 'P1', visits: runs(0), scheduledSegmentS: scheduled });
    // Day 2, same trip id, at its first stop before leaving: nothing learned today, yesterday's runs count.
    const day2 = startServiceDay(day1);
    const A2 = trip('A', 24 * 60);
    const p = learnedTravelTimePredictor(day2, { defaultDwellS: 30 });
    const arrivals = p(A2, vehicleState(A2, 'B1', { tsMs: T0 + DAY - MIN, distanceM: 0 }), T0 + DAY - MIN).arrivalsMs;
    // Leaves at 08:00, four segments of 180 s and three learned dwells of 30 s.
    expect(arrivals.at(-1)).toBeCloseTo(T0 + DAY + 4 * 180_000 + 3 * 30_000, -3);
    // Without yesterday, the schedule's 120 s.
    const fresh = learnedTravelTimePredictor(emptyHistory(), { defaultDwellS: 30 })(
      A2,
      vehicleState(A2, 'B1', { tsMs: T0 + DAY - MIN, distanceM: 0 }),
      T0 + DAY - MIN,
    );
    expect(fresh.arrivalsMs.at(-1)).toBeCloseTo(T0 + DAY + 4 * 120_000 + 3 * 30_000, -3);
    // Day 2's runs of the same trip id are learned (the day before's "learned" marks do not carry over) and weigh in.
    learnFromVisits(day2, {
      tripId: 'A',
      patternId: 'P1',
      visits: runs(DAY).map((v) => ({ ...v, arrivalMs: v.arrivalMs! - 60_000 })),
      scheduledSegmentS: scheduled,
    });
    expect([...day2.segments.values()][0]).toMatchObject({ n: 2 });
    expect([...day2.segments.values()][0]!.meanS).toBeCloseTo(180 + C.alpha * (120 - 180), 5);
  });
});
