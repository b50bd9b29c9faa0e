/**
 * Serving: what the ingest path caches for a bus (its trip and its next one) and a stop's arrivals read from that
 * cache, through the served path, for each prediction case of issue 13: on-time bus, late bus recovering, bus on
 * its previous trip, stale vehicle, no vehicle, frequency-based trip; and missed, cancelled-by-time and finished
 * trips.
 */
import { describe, expect, it } from 'vitest';
import { arrivalsFromCache, cacheWritesOfBus, type BusOnTrips, type CacheWrite, type CachedArrival } from '../../../shared/domain/predictions/serving.js';
import { learnedTravelTimePredictor, scheduleDelayPredictor, type Predictor } from '../../../shared/domain/predictions/predictors.js';
import { emptyHistory } from '../../../shared/domain/predictions/travel-time-history.js';
import type { LiveVehicle, ScheduledTrip } from '../../../shared/domain/predictions/types.js';
import { MIN, T0, trip } from './fixtures.js';

const A = trip('A');
const B = trip('B', 20);
const F = trip('F@08:00:00', 0, { frequencyBased: true });
const p3 = learnedTravelTimePredictor(emptyHistory(), { patternRatioWeight: 1, defaultDwellS: 30 });
const onA = (distanceM: number, tsMs: number, extra: Partial<LiveVehicle> = {}): LiveVehicle => ({
  busId: 'B1',
  tripId: 'A',
  progress: { tsMs, distanceM },
  ...extra,
});

/** The cache as a stop's items hold it: stop → trip → entry, after these writes in order. */
function cacheAfter(...batches: CacheWrite[][]): Map<string, Map<string, CachedArrival>> {
  const stops = new Map<string, Map<string, CachedArrival>>();
  for (const w of batches.flat()) {
    const byTrip = stops.get(w.stopId) ?? new Map<string, CachedArrival>();
    stops.set(w.stopId, byTrip);
    if (w.entry) byTrip.set(w.tripId, w.entry);
    else byTrip.delete(w.tripId);
  }
  return stops;
}

/** What a passenger at S4 is told at `nowMs`. */
function atS4(trips: ScheduledTrip[], writes: CacheWrite[], nowMs: number, planned = new Map<string, number>(), cancelled = new Set<string>()) {
  return arrivalsFromCache('S4', trips, cacheAfter(writes).get('S4') ?? new Map(), nowMs, { limit: 10 }, { cancelled, plannedDepartureMs: planned });
}

function writesOf(bus: BusOnTrips, nowMs: number, predictor: Predictor = p3) {
  return cacheWritesOfBus(bus, nowMs, predictor);
}

describe('prediction cases, as served from the cache', () => {
  it('on-time bus: predicted on the schedule, with the bus and how far it is', () => {
    const nowMs = T0 + 60_000;
    const [a] = atS4([A], writesOf({ vehicle: onA(500, nowMs), current: A }, nowMs), nowMs);
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

  it('late bus recovering: late at the stop, by less than it is now (5 min)', () => {
    const nowMs = T0 + 150_000 + 5 * MIN;
    const [a] = atS4([A], writesOf({ vehicle: onA(1000, nowMs), current: A }, nowMs, scheduleDelayPredictor(10)), nowMs);
    expect(a).toMatchObject({ source: 'realtime', predicted: true });
    expect(a!.delayS).toBeGreaterThan(0);
    expect(a!.delayS).toBeLessThan(300);
  });

  it('bus on its previous trip, still driving it late: its next trip predicted from that trip’s end after layover', () => {
    const nowMs = T0 + 16 * MIN;
    const bus = { vehicle: onA(2500, nowMs, { nextTripId: 'B' }), current: A, next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } };
    const writes = writesOf(bus, nowMs);
    // A ends about 3.5 min from now (half a segment, a dwell, a segment); B leaves a minute after that.
    const endOfA = writes.find((w) => w.tripId === 'A' && w.stopId === 'S5')!.entry as Extract<CachedArrival, { kind: 'predicted' }>;
    expect(endOfA.predictedMs).toBeCloseTo(nowMs + 210_000, -3);
    const b = atS4([B], writes, nowMs, new Map([['B', T0 + 20 * MIN]]))[0];
    expect(b).toMatchObject({ tripId: 'B', busId: 'B1', predicted: true, source: 'realtime', stopsAway: 4 });
    expect(b!.predictedMs).toBeCloseTo(endOfA.predictedMs + 60_000 + 420_000, -3);
    expect(b!.delayS).toBe(Math.round((b!.predictedMs - (T0 + 20 * MIN + 420_000)) / 1000));
    expect(b!.delayS).toBeGreaterThan(0);
  });

  it.each([
    { name: 'arrived early: leaves on its planned departure', endedMs: T0 + 10 * MIN, delayS: 0 },
    { name: 'arrived late: leaves a minimum layover (1 min) after it arrived', endedMs: T0 + 20 * MIN, delayS: 60 },
  ])('bus between trips, $name', ({ endedMs, delayS }) => {
    const nowMs = endedMs + 20_000;
    const bus = { vehicle: onA(4000, nowMs, { tripEndedMs: endedMs, nextTripId: 'B' }), current: A, next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } };
    const [b] = atS4([A, B], writesOf(bus, nowMs), nowMs, new Map([['B', T0 + 20 * MIN]]));
    expect(b).toMatchObject({ tripId: 'B', busId: 'B1', predicted: true, source: 'realtime', delayS });
  });

  it.each([
    { name: 'a fix 1 min old: live', ageMin: 1, source: 'realtime', stale: undefined },
    { name: 'a fix 6 min old: stale, the schedule and says so', ageMin: 6, source: 'scheduled', stale: true },
  ])('vehicle freshness, $name', ({ ageMin, source, stale }) => {
    const fixMs = T0 + 30_000;
    const [a] = atS4([A], writesOf({ vehicle: onA(250, fixMs), current: A }, fixMs), fixMs + ageMin * MIN);
    expect(a).toMatchObject({ tripId: 'A', source, predicted: source === 'realtime', busId: 'B1' });
    expect(a!.stale).toBe(stale);
  });

  it('a stale bus writes nothing: its stops keep what they had', () => {
    expect(writesOf({ vehicle: onA(1500, T0), current: A }, T0 + 10 * MIN)).toEqual([]);
  });

  it('no vehicle: the schedule, predicted false', () => {
    expect(atS4([A, B], [], T0)).toMatchObject([
      { tripId: 'A', predicted: false, source: 'scheduled', predictedMs: T0 + 420_000, delayS: 0 },
      { tripId: 'B', predicted: false, source: 'scheduled', predictedMs: T0 + 20 * MIN + 420_000 },
    ]);
  });

  it('frequency-based trip: predicted like any trip, without a delay (only the headway is promised)', () => {
    const nowMs = T0 + 3 * MIN;
    const live = atS4([F], writesOf({ vehicle: { busId: 'B2', tripId: F.tripId, progress: { tsMs: nowMs, distanceM: 500 } }, current: F }, nowMs), nowMs);
    expect(live[0]).toMatchObject({ tripId: F.tripId, predicted: true, source: 'realtime' });
    expect(live[0]).not.toHaveProperty('delayS');
    const none = atS4([F], [], T0);
    expect(none[0]).toMatchObject({ predicted: false, source: 'scheduled' });
    expect(none[0]).not.toHaveProperty('delayS');
  });
});

describe('missed trips', () => {
  const planned = new Map([['B', T0 + 20 * MIN]]);

  it('a trip no bus started disappears once its planned departure plus the late limit (5 min) has passed', () => {
    expect(atS4([B], [], T0 + 24 * MIN, planned).map((a) => a.tripId)).toEqual(['B']);
    expect(atS4([B], [], T0 + 25 * MIN, planned)).toEqual([]);
    // A trip no order runs keeps its schedule until its time passes.
    expect(atS4([B], [], T0 + 25 * MIN).map((a) => a.tripId)).toEqual(['B']);
  });

  it('a live bus standing at its terminal leaves late for 15 min; then it has missed the trip: removed, not "leaving now"', () => {
    const standingAt = (nowMs: number) =>
      writesOf({ vehicle: onA(4000, nowMs, { tripEndedMs: T0 + 9 * MIN, nextTripId: 'B' }), next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } }, nowMs);
    const before = standingAt(T0 + 34 * MIN);
    const [leavingLate] = atS4([B], before, T0 + 34 * MIN, planned);
    expect(leavingLate).toMatchObject({ tripId: 'B', source: 'realtime', busId: 'B1' });
    expect(leavingLate!.predictedMs).toBeGreaterThanOrEqual(T0 + 34 * MIN + 420_000 - 1000);
    const nowMs = T0 + 35 * MIN;
    const after = standingAt(nowMs);
    expect(after.filter((w) => w.tripId === 'B').every((w) => w.entry === undefined)).toBe(true);
    expect(
      arrivalsFromCache('S4', [B], cacheAfter(before, after).get('S4')!, nowMs, { limit: 10 }, { cancelled: new Set(), plannedDepartureMs: planned }),
    ).toEqual([]);
  });

  it('a bus that came in late from its trip before is given its grace from when it could leave (after its layover)', () => {
    const nowMs = T0 + 27 * MIN;
    const cameLate = { vehicle: onA(4000, nowMs, { tripEndedMs: T0 + 24 * MIN, nextTripId: 'B' }), next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } };
    expect(atS4([B], writesOf(cameLate, nowMs), nowMs, planned)[0]).toMatchObject({ tripId: 'B', source: 'realtime', busId: 'B1' });
    const at = (tsMs: number) => writesOf({ ...cameLate, vehicle: { ...cameLate.vehicle, progress: { tsMs, distanceM: 4000 } } }, tsMs);
    // It could leave at T0 + 25 min: still leaving late at T0 + 39 min, missed at T0 + 40 min.
    expect(at(T0 + 39 * MIN).some((w) => w.tripId === 'B' && w.entry?.kind === 'predicted')).toBe(true);
    expect(
      at(T0 + 40 * MIN)
        .filter((w) => w.tripId === 'B')
        .every((w) => w.entry === undefined),
    ).toBe(true);
  });

  it('a trip started late, or whose bus is still on its way from the trip before, is not missed', () => {
    const nowMs = T0 + 26 * MIN;
    const started = writesOf({ vehicle: { busId: 'B1', tripId: 'B', progress: { tsMs: nowMs, distanceM: 0 } }, current: B }, nowMs);
    expect(atS4([B], started, nowMs, planned)[0]).toMatchObject({ tripId: 'B', source: 'realtime' });
    const lateA = {
      ...A,
      stops: A.stops.map((s) => ({ ...s, scheduledArrivalMs: s.scheduledArrivalMs + 15 * MIN, scheduledDepartureMs: s.scheduledDepartureMs + 15 * MIN })),
    };
    const onItsWay = writesOf({ vehicle: onA(3000, nowMs, { nextTripId: 'B' }), current: lateA, next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } }, nowMs);
    expect(atS4([B], onItsWay, nowMs, planned)[0]).toMatchObject({ tripId: 'B', source: 'realtime', busId: 'B1' });
    // Started (a minute late), then silent: the schedule, stale, still announced.
    const startedMs = T0 + 21 * MIN;
    const thenSilent = writesOf({ vehicle: { busId: 'B1', tripId: 'B', progress: { tsMs: startedMs, distanceM: 0 } }, current: B }, startedMs);
    expect(atS4([B], thenSilent, startedMs + 5.5 * MIN, planned)[0]).toMatchObject({ tripId: 'B', source: 'scheduled', stale: true });
  });
});

describe('cancelled trips', () => {
  it('are not announced, from the schedule or from a bus coming from its trip before; a bus that runs one anyway is', () => {
    const cancelled = new Set(['B']);
    expect(atS4([A, B], [], T0, new Map(), cancelled).map((a) => a.tripId)).toEqual(['A']);
    const nowMs = T0 + 16 * MIN;
    const onItsWay = writesOf({ vehicle: onA(2500, nowMs, { nextTripId: 'B' }), current: A, next: { trip: B } }, nowMs);
    expect(atS4([B], onItsWay, nowMs, new Map(), cancelled)).toEqual([]);
    const runningIt = writesOf({ vehicle: { busId: 'B1', tripId: 'B', progress: { tsMs: T0 + 21 * MIN, distanceM: 500 } }, current: B }, T0 + 21 * MIN);
    expect(atS4([B], runningIt, T0 + 21 * MIN, new Map(), cancelled)[0]).toMatchObject({ tripId: 'B', source: 'realtime' });
  });
});

describe('finished trips leave the cache', () => {
  it('a stop behind a running bus is marked passed while its schedule is ahead, removed once it is past', () => {
    const nowMs = T0 + 4 * MIN;
    const writes = writesOf({ vehicle: onA(1500, nowMs), current: A }, nowMs);
    const at = (stopId: string) => writes.find((w) => w.stopId === stopId);
    // S1 (T0) and S2 (T0 + 2 min) are past on the schedule: removed; S3 and on, ahead.
    expect(at('S1')).toEqual({ stopId: 'S1', tripId: 'A' });
    expect(at('S2')).toEqual({ stopId: 'S2', tripId: 'A' });
    expect(at('S3')!.entry).toMatchObject({ kind: 'predicted', stopsAway: 1, distanceM: 500 });
    const early = writesOf({ vehicle: onA(3500, T0 + 4 * MIN), current: A }, T0 + 4 * MIN);
    expect(early.find((w) => w.stopId === 'S4')!.entry).toMatchObject({ kind: 'passed' });
    expect(atS4([A], early, T0 + 4 * MIN)).toEqual([]);
  });

  it('a trip its bus ended is cleared from every stop (an early one marked passed until its scheduled time)', () => {
    const nowMs = T0 + 7 * MIN;
    const running = writesOf({ vehicle: onA(2500, T0 + 6 * MIN), current: A }, T0 + 6 * MIN);
    const ended = writesOf({ vehicle: onA(4000, nowMs, { tripEndedMs: nowMs }), current: A }, nowMs);
    expect(ended.map((w) => [w.stopId, w.entry?.kind])).toEqual([
      ['S1', undefined],
      ['S2', undefined],
      ['S3', undefined],
      ['S4', 'passed'],
      ['S5', 'passed'],
    ]);
    expect(atS4([A], [...running, ...ended], nowMs)).toEqual([]);
    // Once on its next trip, nothing of it is left on any stop.
    const laterMs = T0 + 21 * MIN;
    const onB = writesOf({ vehicle: { busId: 'B1', tripId: 'B', progress: { tsMs: laterMs, distanceM: 500 } }, current: B, cachedBefore: [A] }, laterMs);
    const cache = cacheAfter(running, ended, onB);
    expect([...cache.values()].every((byTrip) => !byTrip.has('A'))).toBe(true);
  });
});

describe('a stop read from its cache', () => {
  it('filters by route and by minutes after now, and limits', () => {
    const nowMs = T0 + 4 * MIN;
    expect(arrivalsFromCache('S4', [A, B], new Map(), nowMs, { limit: 10, routeId: 'R2' })).toEqual([]);
    expect(arrivalsFromCache('S4', [A, B], new Map(), nowMs, { limit: 10, minutesAfter: 10 }).map((a) => a.tripId)).toEqual(['B']);
    expect(arrivalsFromCache('S4', [A, B], new Map(), nowMs, { limit: 1 })).toHaveLength(1);
  });
});
