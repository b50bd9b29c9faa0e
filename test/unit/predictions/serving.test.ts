/** Serving: a bus's entries cached per stop by the ingest path, and a stop's arrivals read from them. */
import { describe, expect, it } from 'vitest';
import { arrivalsFromCache, cachedArrivalsOfBus, type CachedArrival } from '../../../shared/domain/predictions/serving.js';
import { learnedTravelTimePredictor } from '../../../shared/domain/predictions/predictors.js';
import { emptyHistory } from '../../../shared/domain/predictions/travel-time-history.js';
import { MIN, T0, trip } from './fixtures.js';

const A = trip('A');
const B = trip('B', 20);
const predictor = learnedTravelTimePredictor(emptyHistory(), { patternRatioWeight: 1, defaultDwellS: 30 });
const bus = (distanceM: number, tsMs: number) => ({ busId: 'B1', tripId: 'A', progress: { tsMs, distanceM } });

describe('cached entries of a bus', () => {
  it('predicts the stops ahead of the bus and marks the stops behind it passed', () => {
    const entries = cachedArrivalsOfBus(A, bus(1500, T0 + 4 * MIN), T0 + 4 * MIN, predictor);
    expect(entries.get('S1')).toMatchObject({ kind: 'passed', tripId: 'A', busId: 'B1' });
    expect(entries.get('S2')).toMatchObject({ kind: 'passed' });
    expect(entries.get('S3')).toMatchObject({ kind: 'predicted', stopsAway: 1, distanceM: 500 });
    expect(entries.get('S5')).toMatchObject({ kind: 'predicted', stopsAway: 3, distanceM: 2500 });
  });

  it('writes nothing for a stale bus: its stops keep their schedule', () => {
    expect(cachedArrivalsOfBus(A, bus(1500, T0), T0 + 10 * MIN, predictor).size).toBe(0);
  });
});

describe('a stop read from its cache', () => {
  const nowMs = T0 + 4 * MIN;
  const cacheOf = (distanceM: number, fixTsMs: number) => {
    const byTrip = new Map<string, CachedArrival>();
    const entry = cachedArrivalsOfBus(A, bus(distanceM, fixTsMs), fixTsMs, predictor).get('S4');
    if (entry) byTrip.set('A', entry);
    return byTrip;
  };

  it('answers the live bus realtime and the trip without a bus from the schedule, soonest first', () => {
    const items = arrivalsFromCache('S4', [B, A], cacheOf(1500, nowMs), nowMs, { limit: 10 });
    expect(items.map((a) => [a.tripId, a.source, a.busId])).toEqual([
      ['A', 'realtime', 'B1'],
      ['B', 'scheduled', undefined],
    ]);
  });

  it('does not announce a trip whose bus has passed the stop', () => {
    const items = arrivalsFromCache('S4', [A, B], cacheOf(3500, nowMs), nowMs, { limit: 10 });
    expect(items.map((a) => a.tripId)).toEqual(['B']);
  });

  it('falls back to the schedule for a stale bus and says so', () => {
    const items = arrivalsFromCache('S4', [A], cacheOf(500, nowMs - 6 * MIN), nowMs, { limit: 10 });
    expect(items).toEqual([expect.objectContaining({ tripId: 'A', source: 'scheduled', predicted: false, stale: true, busId: 'B1' })]);
  });

  it('filters by route and by minutes after now, and limits', () => {
    expect(arrivalsFromCache('S4', [A, B], new Map(), nowMs, { limit: 10, routeId: 'R2' })).toEqual([]);
    expect(arrivalsFromCache('S4', [A, B], new Map(), nowMs, { limit: 10, minutesAfter: 10 }).map((a) => a.tripId)).toEqual(['B']);
    expect(arrivalsFromCache('S4', [A, B], new Map(), nowMs, { limit: 1 })).toHaveLength(1);
  });
});
