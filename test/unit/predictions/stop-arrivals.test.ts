/** The prediction cases of a stop's next arrivals: live, late, on the previous trip, stale, none, frequency-based. */
import { describe, expect, it } from 'vitest';
import { learnedTravelTimePredictor, scheduleDelayPredictor } from '../../../shared/domain/predictions/predictors.js';
import { predictStopArrivals } from '../../../shared/domain/predictions/stop-arrivals.js';
import { emptyHistory } from '../../../shared/domain/predictions/travel-time-history.js';
import type { LiveVehicle, ScheduledTrip } from '../../../shared/domain/predictions/types.js';
import { MIN, T0, trip } from './fixtures.js';

const A = trip('A');
const B = trip('B', 20);
const F = trip('F@08:00:00', 0, { frequencyBased: true });
const p2 = learnedTravelTimePredictor(emptyHistory(), { defaultDwellS: 30 });

function arrivalsAtS4(trips: ScheduledTrip[], vehicles: LiveVehicle[], nowMs: number, predictor = p2) {
  const byId = new Map(trips.map((t) => [t.tripId, t]));
  return predictStopArrivals({ stopId: 'S4', nowMs, trips, vehicles, tripOf: (id) => byId.get(id), predictor });
}

describe('next arrivals at a stop', () => {
  it('on-time bus: predicted on the schedule, with the bus and how far it is', () => {
    const [a] = arrivalsAtS4([A], [{ busId: 'B1', tripId: 'A', progress: { tsMs: T0 + 60_000, distanceM: 500 } }], T0 + 60_000);
    expect(a).toMatchObject({
      tripId: 'A',
      busId: 'B1',
      predicted: true,
      source: 'realtime',
      delayS: 0,
      stopsAway: 3,
      distanceM: 2500,
      scheduledMs: T0 + 420_000,
    });
    expect(a!.predictedMs).toBeCloseTo(T0 + 420_000, -3);
  });

  it('late bus recovering: late at the stop, by less than it is now', () => {
    const nowMs = T0 + 150_000 + 5 * MIN;
    const [a] = arrivalsAtS4([A], [{ busId: 'B1', tripId: 'A', progress: { tsMs: nowMs, distanceM: 1000 } }], nowMs, scheduleDelayPredictor(10));
    expect(a!.predicted).toBe(true);
    expect(a!.delayS).toBeGreaterThan(0);
    expect(a!.delayS).toBeLessThan(300);
  });

  it.each([
    { name: 'arriving early enough: departs on time', tripEndedMs: T0 + 10 * MIN, delayS: 0 },
    { name: 'arriving late: departs after the minimum layover', tripEndedMs: T0 + 18 * MIN, delayS: 180 },
  ])('bus on its previous trip, $name', ({ tripEndedMs, delayS }) => {
    const nowMs = tripEndedMs + 30_000;
    const vehicle = { busId: 'B1', tripId: 'A', tripEndedMs, nextTripId: 'B', progress: { tsMs: nowMs, distanceM: 4000 } };
    const [b] = arrivalsAtS4([A, B], [vehicle], nowMs);
    expect(b).toMatchObject({ tripId: 'B', busId: 'B1', predicted: true, source: 'realtime', delayS });
  });

  it('bus still driving its previous trip: the next trip is predicted from that trip’s end', () => {
    const nowMs = T0 + 16 * MIN;
    const vehicle = { busId: 'B1', tripId: 'A', nextTripId: 'B', progress: { tsMs: nowMs, distanceM: 2500 } };
    const [b] = arrivalsAtS4([B], [vehicle], nowMs);
    expect(b!.source).toBe('realtime');
    expect(b!.delayS).toBeGreaterThan(0);
  });

  it.each([
    { name: 'a fix 1 min old: live', ageMin: 1, source: 'realtime', predicted: true },
    { name: 'a fix 6 min old: stale, the schedule and says so', ageMin: 6, source: 'scheduled', predicted: false },
  ])('vehicle freshness, $name', ({ ageMin, source, predicted }) => {
    const fixMs = T0 + 30_000;
    const [a] = arrivalsAtS4([A], [{ busId: 'B1', tripId: 'A', progress: { tsMs: fixMs, distanceM: 250 } }], fixMs + ageMin * MIN);
    expect(a).toMatchObject({ tripId: 'A', source, predicted });
    expect(a!.busId === undefined).toBe(!predicted);
  });

  it('no vehicle: the schedule, predicted false', () => {
    expect(arrivalsAtS4([A, B], [], T0)).toMatchObject([
      { tripId: 'A', predicted: false, source: 'scheduled', predictedMs: T0 + 420_000, delayS: 0 },
      { tripId: 'B', predicted: false, source: 'scheduled', predictedMs: T0 + 20 * MIN + 420_000 },
    ]);
  });

  it('a bus that has passed the stop is not announced, live or stale', () => {
    for (const tsMs of [T0 + 8 * MIN, T0 - 30 * MIN]) {
      const out = arrivalsAtS4([A], [{ busId: 'B1', tripId: 'A', progress: { tsMs, distanceM: 3100 } }], T0 + 8 * MIN);
      expect(out).toEqual([]);
    }
  });

  it('frequency-based trip: predicted like any trip, without a delay (only the headway is promised)', () => {
    const live = arrivalsAtS4([F], [{ busId: 'B2', tripId: F.tripId, progress: { tsMs: T0 + 3 * MIN, distanceM: 500 } }], T0 + 3 * MIN);
    expect(live[0]).toMatchObject({ tripId: F.tripId, predicted: true, source: 'realtime' });
    expect(live[0]).not.toHaveProperty('delayS');
    const none = arrivalsAtS4([F], [], T0);
    expect(none[0]).toMatchObject({ predicted: false, source: 'scheduled' });
    expect(none[0]).not.toHaveProperty('delayS');
  });

  it('lists the soonest first and at most `limit`', () => {
    const trips = [trip('C', 40), A, B];
    const byId = new Map(trips.map((t) => [t.tripId, t]));
    const out = predictStopArrivals({ stopId: 'S4', nowMs: T0, trips, vehicles: [], tripOf: (id) => byId.get(id), predictor: p2 }, { limit: 2 });
    expect(out.map((a) => a.tripId)).toEqual(['A', 'B']);
  });
});
