/**
 * Writing the arrivals cache cheaply: of what a bus's trips should leave on every stop, only the stops within the
 * horizon, and only what changed since the bus last wrote (moved by more than 20 s, a stop passed, a stop nearer,
 * its next trip started, a refresh due) — and a stop read from what is written still says what it should.
 */
import { describe, expect, it } from 'vitest';
import { CACHE_WRITE_CONFIG, cacheChanges, cachedTripPrediction, type WrittenEntries } from '../../../shared/domain/predictions/cache-changes.js';
import {
  arrivalsFromCache,
  cacheWritesOfBus,
  predictionsOfBus,
  type BusOnTrips,
  type CacheWrite,
  type CachedArrival,
} from '../../../shared/domain/predictions/serving.js';
import { learnedTravelTimePredictor } from '../../../shared/domain/predictions/predictors.js';
import { emptyHistory } from '../../../shared/domain/predictions/travel-time-history.js';
import type { LiveVehicle, ScheduledTrip } from '../../../shared/domain/predictions/types.js';
import { MIN, T0, trip } from './fixtures.js';

/** A trip of 30 stops 2.5 min apart: S17 is the last within 40 min of a bus near its start. */
const LONG = trip('L', 0, {}, 30);
/** The same, leaving at T0 + 10 min. */
const WAITING = trip('W', 10, {}, 30);
const A = trip('A');
const B = trip('B', 20);
const p3 = learnedTravelTimePredictor(emptyHistory(), { patternRatioWeight: 1, defaultDwellS: 30 });
const on = (tripId: string, distanceM: number, tsMs: number, extra: Partial<LiveVehicle> = {}): LiveVehicle => ({
  busId: 'B1',
  tripId,
  progress: { tsMs, distanceM },
  ...extra,
});

/** A bus sending batch after batch: what it writes each time, and the cache (stop → trip → entry) it leaves. */
function busWriting() {
  let written: WrittenEntries = {};
  const cache = new Map<string, Map<string, CachedArrival>>();
  return {
    cache,
    get written() {
      return written;
    },
    batch(bus: BusOnTrips, nowMs: number): CacheWrite[] {
      const cachedBefore = Object.keys(written).flatMap((id) => [A, B, LONG, WAITING].filter((t) => t.tripId === id));
      const changes = cacheChanges(cacheWritesOfBus({ ...bus, cachedBefore }, nowMs, p3), written, bus.vehicle.progress.tsMs, nowMs);
      written = changes.written;
      for (const w of changes.writes) {
        const byTrip = cache.get(w.stopId) ?? new Map<string, CachedArrival>();
        cache.set(w.stopId, byTrip);
        if (w.entry) byTrip.set(w.tripId, w.entry);
        else byTrip.delete(w.tripId);
      }
      return changes.writes;
    },
    at(stopId: string, trips: ScheduledTrip[], nowMs: number) {
      return arrivalsFromCache(stopId, trips, cache.get(stopId) ?? new Map(), nowMs, { limit: 10 });
    },
  };
}

const stopsOf = (writes: readonly CacheWrite[]) => writes.map((w) => w.stopId);

describe('the horizon', () => {
  it('writes the next 10 stops and those predicted within 40 min; further stops read the schedule', () => {
    const bus = busWriting();
    const nowMs = T0 + MIN;
    const writes = bus.batch({ vehicle: on('L', 500, nowMs), current: LONG }, nowMs);
    expect(stopsOf(writes)).toEqual(Array.from({ length: 16 }, (_, i) => `S${i + 2}`));
    expect(writes.every((w) => w.entry?.kind === 'predicted')).toBe(true);
    expect(bus.at('S17', [LONG], nowMs)[0]).toMatchObject({ tripId: 'L', predicted: true, source: 'realtime', busId: 'B1' });
    expect(bus.at('S18', [LONG], nowMs)[0]).toMatchObject({ tripId: 'L', predicted: false, source: 'scheduled' });
    expect(bus.at('S18', [LONG], nowMs)[0]).not.toHaveProperty('busId');
  });

  it('always writes the next 10 stops of the trip run, however far ahead in time', () => {
    const bus = busWriting();
    const nowMs = T0 + MIN;
    const slow = { ...CACHE_WRITE_CONFIG, horizonMs: 5 * MIN };
    const desired = cacheWritesOfBus({ vehicle: on('L', 500, nowMs), current: LONG }, nowMs, p3);
    expect(stopsOf(cacheChanges(desired, bus.written, nowMs, nowMs, slow).writes)).toEqual(Array.from({ length: 10 }, (_, i) => `S${i + 2}`));
  });

  it('writes the stops of a bus’s next trip only within 40 min, counted in time', () => {
    const bus = busWriting();
    const nowMs = T0 + 16 * MIN;
    const far = { ...CACHE_WRITE_CONFIG, horizonMs: 10 * MIN };
    const desired = cacheWritesOfBus(
      { vehicle: on('A', 2500, nowMs, { nextTripId: 'B' }), current: A, next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } },
      nowMs,
      p3,
    );
    // B leaves about 4.5 min from now: S2 and S3 within 10 min, S4 (7 min after leaving) beyond; S1, where the bus
    // waits, is not announced from it.
    const nextTrip = cacheChanges(desired, bus.written, nowMs, nowMs, far).writes.filter((w) => w.tripId === 'B');
    expect(stopsOf(nextTrip)).toEqual(['S2', 'S3']);
  });
});

describe('only what changed', () => {
  it('a prediction moved by 20 s or less is not written again; by more, it is', () => {
    const bus = busWriting();
    const t = T0 + MIN;
    expect(bus.batch({ vehicle: on('L', 500, t), current: LONG }, t)).toHaveLength(16);
    // Standing where it was: each prediction moves by as much as the time gone by.
    expect(bus.batch({ vehicle: on('L', 500, t + 10_000), current: LONG }, t + 10_000)).toEqual([]);
    expect(bus.batch({ vehicle: on('L', 500, t + 20_000), current: LONG }, t + 20_000)).toEqual([]);
    const moved = bus.batch({ vehicle: on('L', 500, t + 30_000), current: LONG }, t + 30_000);
    expect(moved).toHaveLength(16);
    expect((bus.cache.get('S5')!.get('L') as Extract<CachedArrival, { kind: 'predicted' }>).fixTsMs).toBe(t + 30_000);
  });

  it('a stop passed is written once (removed, or marked passed while its schedule is ahead); the stops ahead one stop nearer', () => {
    const bus = busWriting();
    bus.batch({ vehicle: on('A', 500, T0 + MIN), current: A }, T0 + MIN);
    // Past S2 a little early (S2 is scheduled at T0 + 2 min): marked passed.
    const passedS2 = bus.batch({ vehicle: on('A', 1100, T0 + MIN + 10_000), current: A }, T0 + MIN + 10_000);
    expect(passedS2.map((w) => [w.stopId, w.entry?.kind, w.entry?.kind === 'predicted' ? w.entry.stopsAway : undefined])).toEqual([
      ['S2', 'passed', undefined],
      ['S3', 'predicted', 1],
      ['S4', 'predicted', 2],
      ['S5', 'predicted', 3],
    ]);
    expect(bus.at('S2', [A], T0 + MIN + 10_000)).toEqual([]);
    // The mark is not written again, and S1 (never written) is not removed.
    expect(bus.batch({ vehicle: on('A', 1150, T0 + MIN + 20_000), current: A }, T0 + MIN + 20_000)).toEqual([]);
    // Once S2's scheduled time is past, its mark is removed, once.
    const later = T0 + 2 * MIN + 10_000;
    expect(bus.batch({ vehicle: on('A', 1300, later), current: A }, later).filter((w) => w.stopId === 'S2')).toEqual([{ stopId: 'S2', tripId: 'A' }]);
    expect(bus.batch({ vehicle: on('A', 1310, later + 5_000), current: A }, later + 5_000).filter((w) => w.stopId === 'S2')).toEqual([]);
  });

  it('rewrites a live bus’s entries before they could read stale: a trip is refreshed every 3 min', () => {
    const bus = busWriting();
    // Waiting at the first stop for its departure at T0 + 10 min: its predictions (the schedule) never move.
    const at = (tsMs: number) => bus.batch({ vehicle: on('W', 0, tsMs), current: WAITING }, tsMs);
    const first = stopsOf(at(T0 + MIN));
    expect(first.length).toBeGreaterThan(10);
    // Only the stops the horizon reaches as time goes by are written.
    const quiet = [1, 2].flatMap((m) => stopsOf(at(T0 + MIN + m * MIN)));
    expect(quiet.length).toBeLessThanOrEqual(2);
    expect(quiet.filter((stopId) => first.includes(stopId))).toEqual([]);
    const refreshed = at(T0 + 4 * MIN);
    expect(refreshed.length).toBeGreaterThan(10);
    expect(refreshed.every((w) => w.entry?.kind !== 'predicted' || w.entry.fixTsMs === T0 + 4 * MIN)).toBe(true);
    // 5.5 min after the first write, the bus still live: realtime, not the schedule of a stale bus.
    expect(bus.at('S10', [WAITING], T0 + 6.5 * MIN)[0]).toMatchObject({ source: 'realtime', predicted: true });
  });

  it('its next trip, once started, is written again as the trip it runs', () => {
    const bus = busWriting();
    const endMs = T0 + 10 * MIN;
    bus.batch(
      { vehicle: on('A', 4000, endMs, { tripEndedMs: endMs, nextTripId: 'B' }), current: A, next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } },
      endMs,
    );
    expect(bus.written.B).toMatchObject({ next: true });
    const startMs = T0 + 20 * MIN;
    const started = bus.batch({ vehicle: on('B', 0, startMs), current: B }, startMs);
    expect(started.filter((w) => w.tripId === 'B' && w.entry?.kind === 'predicted' && !w.entry.nextTrip).map((w) => w.stopId)).toEqual([
      'S2',
      'S3',
      'S4',
      'S5',
    ]);
    expect(bus.written.B).not.toHaveProperty('next');
  });

  it('clears a trip it no longer runs from the stops it wrote, and only those', () => {
    const bus = busWriting();
    bus.batch({ vehicle: on('L', 500, T0 + MIN), current: LONG }, T0 + MIN);
    const laterMs = T0 + 80 * MIN;
    const cleared = bus.batch({ vehicle: on('A', 500, laterMs), current: trip('A', 80) }, laterMs).filter((w) => w.tripId === 'L');
    expect(stopsOf(cleared)).toEqual(Array.from({ length: 16 }, (_, i) => `S${i + 2}`));
    expect(cleared.every((w) => w.entry === undefined)).toBe(true);
    expect(bus.written).not.toHaveProperty('L');
  });
});

describe('the trip updates say what the stops say', () => {
  it('the trip run, stop by stop as its entries hold it (to the second), the next trip apart', () => {
    const bus = busWriting();
    const nowMs = T0 + 16 * MIN;
    bus.batch({ vehicle: on('A', 2500, nowMs, { nextTripId: 'B' }), current: A, next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } }, nowMs);
    // 10 s later, moved by 10 s: not rewritten; the trip updates keep what the stops hold.
    bus.batch(
      { vehicle: on('A', 2500, nowMs + 10_000, { nextTripId: 'B' }), current: A, next: { trip: B, plannedDepartureMs: T0 + 20 * MIN } },
      nowMs + 10_000,
    );
    const p = cachedTripPrediction('A', 'B1', nowMs + 10_000, bus.written)!;
    expect(p).toMatchObject({ tripId: 'A', busId: 'B1', fixTsMs: nowMs + 10_000 });
    expect(p.stops.map((s) => [s.stopSequence, s.stopId])).toEqual([
      [4, 'S4'],
      [5, 'S5'],
    ]);
    const s4 = bus.cache.get('S4')!.get('A') as Extract<CachedArrival, { kind: 'predicted' }>;
    expect(s4.fixTsMs).toBe(nowMs);
    expect(p.stops[0]!.predictedMs).toBe(Math.floor(s4.predictedMs / 1000) * 1000);
    expect(cachedTripPrediction('B', 'B1', nowMs, bus.written)).toBeUndefined();
  });

  it('the next trip, not started, as its entries hold it, with its departure after layover', () => {
    const bus = busWriting();
    // A ended at T0 + 25 min, B planned at T0 + 20 min: B leaves after the minute of layover, T0 + 26 min.
    const nowMs = T0 + 25 * MIN + 10_000;
    const waiting: BusOnTrips = {
      vehicle: { busId: 'B1', tripId: 'A', tripEndedMs: T0 + 25 * MIN, nextTripId: 'B', progress: { tsMs: nowMs, distanceM: 0 } },
      current: A,
      next: { trip: B, plannedDepartureMs: T0 + 20 * MIN },
    };
    bus.batch(waiting, nowMs);
    const { nextDepartureMs } = predictionsOfBus(waiting, nowMs, p3);
    expect(nextDepartureMs).toBe(T0 + 26 * MIN);
    const p = cachedTripPrediction('B', 'B1', nowMs, bus.written, nextDepartureMs)!;
    expect(p).toMatchObject({ tripId: 'B', departureMs: T0 + 26 * MIN });
    expect(p.stops.map((s) => s.stopId)).toEqual(['S2', 'S3', 'S4', 'S5']);
    const s2 = bus.cache.get('S2')!.get('B') as Extract<CachedArrival, { kind: 'predicted' }>;
    expect(p.stops[0]!.predictedMs).toBe(Math.floor(s2.predictedMs / 1000) * 1000);
    // Asked as the trip run, or the trip run asked as a next trip: none.
    expect(cachedTripPrediction('B', 'B1', nowMs, bus.written)).toBeUndefined();
    // A bus on its trip: no next departure for the trip it runs.
    expect(predictionsOfBus({ vehicle: on('A', 2500, nowMs), current: A }, nowMs, p3).nextDepartureMs).toBeUndefined();
  });
});
