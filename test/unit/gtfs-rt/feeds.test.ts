import { describe, expect, it } from 'vitest';
import { buildRealtimeFeeds, type RealtimeFeedInput } from '../../../shared/domain/gtfs-rt/feeds.js';
import type { FeedEntity } from '../../../shared/domain/gtfs-rt/feed-message.js';
import { servedTripArrivals } from '../../../shared/domain/gtfs-rt/live-arrivals.js';
import type { RealtimeVehicle } from '../../../shared/domain/gtfs-rt/ports.js';
import type { StopArrival } from '../../../shared/domain/predictions/types.js';
import { buildNetwork } from '../../../shared/gtfs/build.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { TEST_SERVICE_DAY } from '../../support/test-clock.js';
import { lines, smallFeed } from '../../fixtures/gtfs/small-feed.js';

const network = buildNetwork(smallFeed()).network;
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return serviceTimeToEpochMs(TEST_SERVICE_DAY, h * 3600 + m * 60, network.timezone);
};
const NOW = at('06:03');
/** On SH1 between S2 and S3 (shape vertex 2 is 10.7601,106.6870). */
const onT1: RealtimeVehicle = {
  busId: 'B1',
  label: '51B-001.01',
  fixMs: NOW - 10_000,
  lat: 10.7601,
  lon: 106.6875,
  bearingDeg: 90,
  speedKmh: 18,
  tripId: 'T1',
};

function arrival(tripId: string, stopId: string, stopSequence: number, predictedMs: number, busId = 'B1', extra: Partial<StopArrival> = {}): StopArrival {
  return { stopId, stopSequence, routeId: 'R1', tripId, busId, scheduledMs: predictedMs, predictedMs, predicted: true, source: 'realtime', ...extra };
}
const t1Ahead = [arrival('T1', 'S3', 3, at('06:05')), arrival('T1', 'S4', 4, at('06:08'))];

function feeds(patch: Partial<RealtimeFeedInput> = {}, net: Network = network) {
  return buildRealtimeFeeds({ network: net, nowMs: NOW, serviceDate: TEST_SERVICE_DAY, vehicles: [onT1], arrivals: t1Ahead, ...patch });
}
const tripUpdates = (f: ReturnType<typeof feeds>) => f.tripUpdates.entity.map((e) => e.tripUpdate!);
const positions = (f: ReturnType<typeof feeds>) => f.vehiclePositions.entity.map((e) => e.vehicle!);
const unique = (entities: FeedEntity[]) => new Set(entities.map((e) => e.id)).size === entities.length;

describe('GTFS-Realtime feeds', () => {
  it('has a 2.0 FULL_DATASET header stamped in POSIX seconds, never before any entity', () => {
    const f = feeds({ vehicles: [{ ...onT1, fixMs: NOW + 4000 }] });
    for (const feed of [f.vehiclePositions, f.tripUpdates]) {
      expect(feed.header).toEqual({ gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: Math.floor(NOW / 1000) });
    }
    expect(positions(f)[0]!.timestamp).toBeLessThanOrEqual(f.vehiclePositions.header.timestamp);
    expect(tripUpdates(f)[0]!.stopTimeUpdate[0]!.arrival!.time).toBe(Math.floor(at('06:05') / 1000));
  });

  it('describes the trip as the static feed does, with start_date, start_time and the same vehicle in both feeds', () => {
    const f = feeds();
    const trip = { tripId: 'T1', routeId: 'R1', directionId: 0, startTime: '06:00:00', startDate: '20260310', scheduleRelationship: 'SCHEDULED' };
    expect(positions(f)).toEqual([expect.objectContaining({ trip, vehicle: { id: 'B1', label: '51B-001.01' }, timestamp: Math.floor(onT1.fixMs / 1000) })]);
    expect(positions(f)[0]!.position).toMatchObject({ bearing: 90, speed: 5 });
    expect(tripUpdates(f)).toEqual([expect.objectContaining({ trip, vehicle: { id: 'B1', label: '51B-001.01' } })]);
  });

  it("numbers stop time updates with the static feed's stop_sequence", () => {
    const vehicle = { ...onT1, tripId: 'T2', fixMs: at('07:02'), lat: 10.7599, lon: 106.692 };
    const f = feeds({
      nowMs: at('07:02'),
      vehicles: [vehicle],
      arrivals: [arrival('T2', 'S3', 2, at('07:03')), arrival('T2', 'S2', 3, at('07:06')), arrival('T2', 'S1', 4, at('07:09'))],
    });
    expect(tripUpdates(f)[0]!.stopTimeUpdate.map((u) => [u.stopId, u.stopSequence])).toEqual([
      ['S3', 20],
      ['S2', 30],
      ['S1', 40],
    ]);
    expect(tripUpdates(f)[0]!.trip.startTime).toBe('07:00:00');
  });

  it('makes predicted times strictly increasing along the trip, whatever order and ties the predictions have', () => {
    const f = feeds({ arrivals: [arrival('T1', 'S4', 4, at('06:04')), arrival('T1', 'S3', 3, at('06:05')), arrival('T1', 'S2', 2, at('06:05'))] });
    const updates = tripUpdates(f)[0]!.stopTimeUpdate;
    expect(updates.map((u) => u.stopSequence)).toEqual([2, 3, 4]);
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.arrival!.time).toBeGreaterThan(updates[i - 1]!.arrival!.time);
    expect(updates.every((u) => u.scheduleRelationship === 'SCHEDULED')).toBe(true);
  });

  it('publishes a frequency-based run (exact_times 0) as its template trip, with its start_time, UNSCHEDULED', () => {
    const net = buildNetwork(
      smallFeed({ 'frequencies.txt': lines('trip_id,start_time,end_time,headway_secs,exact_times', 'T1,05:30:00,07:00:00,900,0') }),
    ).network;
    const run = '@06:00:00';
    const f = feeds({ vehicles: [{ ...onT1, tripId: `T1${run}` }], arrivals: t1Ahead.map((a) => ({ ...a, tripId: `T1${run}` })) }, net);
    for (const trip of [positions(f)[0]!.trip, tripUpdates(f)[0]!.trip]) {
      expect(trip).toMatchObject({ tripId: 'T1', startTime: '06:00:00', startDate: '20260310', scheduleRelationship: 'UNSCHEDULED' });
    }
    expect(tripUpdates(f)[0]!.stopTimeUpdate.every((u) => u.scheduleRelationship === 'UNSCHEDULED')).toBe(true);
  });

  it('publishes an exact_times 1 run SCHEDULED, its start_time on the headway grid', () => {
    const net = buildNetwork(
      smallFeed({ 'frequencies.txt': lines('trip_id,start_time,end_time,headway_secs,exact_times', 'T1,05:30:00,07:00:00,900,1') }),
    ).network;
    const f = feeds({ vehicles: [{ ...onT1, tripId: 'T1@06:00:00' }], arrivals: t1Ahead.map((a) => ({ ...a, tripId: 'T1@06:00:00' })) }, net);
    expect(tripUpdates(f)[0]!.trip).toMatchObject({ tripId: 'T1', startTime: '06:00:00', scheduleRelationship: 'SCHEDULED' });
  });

  it.each<[string, Partial<RealtimeVehicle>]>([
    ['a stale vehicle', { fixMs: NOW - 5 * 60_000 - 1 }],
    ['a trip the static feed does not have', { tripId: 'T404' }],
    ['a route claim that contradicts the trip', { routeId: 'R2' }],
    ['a position far from the trip shape', { lat: 10.765 }],
    ['a bus not on a trip', { tripId: undefined }],
  ])('leaves out %s from both feeds', (_, patch) => {
    const vehicle: RealtimeVehicle = { ...onT1, ...patch };
    if ('tripId' in patch && patch.tripId === undefined) delete vehicle.tripId;
    const f = feeds({ vehicles: [vehicle] });
    expect(f.vehiclePositions.entity).toEqual([]);
    expect(f.tripUpdates.entity).toEqual([]);
  });

  it('snaps a fix near the shape onto it', () => {
    const f = feeds({ vehicles: [{ ...onT1, lat: 10.7604, lon: 106.683 }] });
    expect(positions(f)[0]!.position.latitude).toBeCloseTo(10.7601, 6);
  });

  it('pairs one vehicle per trip, keeps only its own realtime predictions, and gives unique entity ids', () => {
    const other = { ...onT1, busId: 'B2', fixMs: onT1.fixMs - 5000 };
    const f = feeds({
      vehicles: [onT1, other, { ...onT1, fixMs: onT1.fixMs - 1000 }],
      arrivals: [...t1Ahead, arrival('T1', 'S2', 2, at('06:04'), 'B2'), arrival('T1', 'S2', 2, at('06:04'), 'B1', { predicted: false, source: 'scheduled' })],
    });
    expect(positions(f).map((p) => p.vehicle.id)).toEqual(['B1']);
    expect(tripUpdates(f).map((u) => [u.vehicle?.id, u.stopTimeUpdate.map((s) => s.stopId)])).toEqual([['B1', ['S3', 'S4']]]);
    expect(unique(f.vehiclePositions.entity) && unique(f.tripUpdates.entity)).toBe(true);
  });

  it('leaves out a trip with no stop ahead predicted (both feeds stay paired)', () => {
    const f = feeds({ arrivals: [] });
    expect(f.vehiclePositions.entity).toEqual([]);
    expect(f.tripUpdates.entity).toEqual([]);
  });

  it('carries the predictions the ingest path cached for the bus (the arrivals API’s), not recomputed, those still ahead', () => {
    const prediction = {
      tripId: 'T1',
      busId: 'B1',
      fixTsMs: onT1.fixMs,
      stops: [
        { stopSequence: 2, stopId: 'S2', predictedMs: NOW - 20_000 },
        { stopSequence: 3, stopId: 'S3', predictedMs: at('06:06') + 17_000 },
        { stopSequence: 4, stopId: 'S4', predictedMs: at('06:09') + 4_000 },
      ],
    };
    const vehicle = { ...onT1, prediction };
    const arrivals = servedTripArrivals(network, [vehicle], NOW, TEST_SERVICE_DAY);
    expect(arrivals.map((a) => [a.stopId, a.predictedMs, a.scheduledMs])).toEqual([
      ['S3', at('06:06') + 17_000, at('06:05')],
      ['S4', at('06:09') + 4_000, at('06:08')],
    ]);
    const updates = tripUpdates(feeds({ vehicles: [vehicle], arrivals }))[0]!.stopTimeUpdate;
    expect(updates.map((u) => [u.stopSequence, u.arrival!.time])).toEqual([
      [3, Math.floor((at('06:06') + 17_000) / 1000)],
      [4, Math.floor((at('06:09') + 4_000) / 1000)],
    ]);
    // A prediction from a fix gone stale, or of another trip than the bus runs, is not served.
    expect(servedTripArrivals(network, [{ ...vehicle, prediction: { ...prediction, fixTsMs: NOW - 6 * 60_000 } }], NOW, TEST_SERVICE_DAY)).toEqual([]);
    expect(servedTripArrivals(network, [{ ...vehicle, tripId: 'T2' }], NOW, TEST_SERVICE_DAY)).toEqual([]);
  });

  it('publishes a cancelled trip CANCELED with its start_date and start_time, no stop time update and no vehicle, until its scheduled end', () => {
    const f = feeds({ cancelledTripIds: new Set(['T2', 'T1', 'NOT-IN-FEED']) });
    // T1 has a bus on it: its trip update stays; T2 is called off.
    expect(f.tripUpdates.entity.map((e) => e.id)).toEqual(['trip-T1', 'trip-T2']);
    const cancelled = f.tripUpdates.entity[1]!.tripUpdate!;
    expect(cancelled).toEqual({
      trip: {
        tripId: 'T2',
        routeId: 'R1',
        directionId: 1,
        startTime: '07:00:00',
        startDate: TEST_SERVICE_DAY.replace(/-/g, ''),
        scheduleRelationship: 'CANCELED',
      },
      stopTimeUpdate: [],
      timestamp: Math.floor(NOW / 1000),
    });
    // The vehicle positions stay paired with the running trips only.
    expect(f.vehiclePositions.entity.map((e) => e.id)).toEqual(['vehicle-B1']);
    expect(feeds({ nowMs: at('07:10'), vehicles: [], cancelledTripIds: new Set(['T2']) }).tripUpdates.entity).toEqual([]);
  });
});
