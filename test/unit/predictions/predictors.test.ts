import { describe, expect, it } from 'vitest';
import { learnedTravelTimePredictor, scheduleDelayPredictor } from '../../../shared/domain/predictions/predictors.js';
import { emptyHistory, learnFromVisits } from '../../../shared/domain/predictions/travel-time-history.js';
import { vehicleState } from '../../../shared/domain/predictions/vehicle-state.js';
import { MIN, T0, trip, visited } from './fixtures.js';

const t = trip('A');

describe('P1: schedule plus the current delay, decaying', () => {
  it.each([
    { name: 'on time: the schedule', at: { tsMs: T0 + 60_000, distanceM: 500 }, s2: T0 + 120_000 },
    { name: 'two minutes late: about two minutes late at the next stop', at: { tsMs: T0 + 3 * MIN, distanceM: 500 }, s2: T0 + 120_000 + 117_000 },
  ])('$name', ({ at, s2 }) => {
    const p = scheduleDelayPredictor()(t, vehicleState(t, 'B1', at), at.tsMs);
    expect(p.fromIndex).toBe(1);
    expect(p.arrivalsMs[0]).toBeCloseTo(s2, -4);
  });

  it('a late bus recovers: its delay shrinks along the trip, never below zero here', () => {
    const at = { tsMs: T0 + 150_000 + 5 * MIN, distanceM: 1000 };
    const p = scheduleDelayPredictor(10)(t, vehicleState(t, 'B1', at), at.tsMs);
    const delays = p.arrivalsMs.map((ms, i) => ms - t.stops[p.fromIndex + i]!.scheduledArrivalMs);
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeLessThan(delays[i - 1]!);
    expect(delays[delays.length - 1]!).toBeGreaterThan(0);
  });
});

describe('P2: learned segment times plus dwell', () => {
  it.each([
    { name: 'no history: the schedule’s running times', learnedS: undefined, s2: T0 + 120_000, s3: T0 + 270_000 },
    { name: 'segments learned at 180 s', learnedS: 180, s2: T0 + 150_000, s3: T0 + 150_000 + 30_000 + 180_000 },
  ])('$name', ({ learnedS, s2, s3 }) => {
    const h = emptyHistory();
    if (learnedS) {
      for (const seq of [1, 2, 3, 4]) {
        const dep = T0 - 30 * MIN;
        learnFromVisits(h, {
          tripId: `X${seq}`,
          patternId: 'P1',
          visits: [visited(seq, dep - 30_000, dep), visited(seq + 1, dep + learnedS * 1000, dep + learnedS * 1000 + 30_000)],
          scheduledSegmentS: () => 120,
        });
      }
    }
    const at = { tsMs: T0 + 60_000, distanceM: 500 };
    const p = learnedTravelTimePredictor(h, { defaultDwellS: 30, ratioFadeMin: 1e-6 })(t, vehicleState(t, 'B1', at), at.tsMs);
    expect(p.arrivalsMs[0]).toBeCloseTo(s2, -3);
    expect(p.arrivalsMs[1]).toBeCloseTo(s3, -3);
  });

  it('never predicts an arrival before now, and never out of order', () => {
    const at = { tsMs: T0, distanceM: 900 };
    const nowMs = T0 + 4 * MIN;
    const p = learnedTravelTimePredictor(emptyHistory())(t, vehicleState(t, 'B1', at), nowMs);
    expect(p.arrivalsMs[0]).toBe(nowMs);
    for (let i = 1; i < p.arrivalsMs.length; i++) expect(p.arrivalsMs[i]!).toBeGreaterThanOrEqual(p.arrivalsMs[i - 1]!);
  });

  it('a bus waiting at its first stop leaves at its departure time', () => {
    const at = { tsMs: T0 - 3 * MIN, distanceM: 0 };
    const p = learnedTravelTimePredictor(emptyHistory())(t, vehicleState(t, 'B1', at), at.tsMs);
    expect(p.arrivalsMs[0]).toBe(T0 + 120_000);
  });
});
