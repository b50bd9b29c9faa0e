import { describe, expect, it } from 'vitest';
import { buildRealtimeFeeds, type RealtimeFeedInput } from '../../../shared/domain/gtfs-rt/feeds.js';
import type { FeedEntity } from '../../../shared/domain/gtfs-rt/feed-message.js';
import { type ServedNextTrip, servedNextTrips, servedTripArrivals } from '../../../shared/domain/gtfs-rt/live-arrivals.js';
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

  describe("a bus's next trip, before it starts", () => {
    const WAIT = at('06:55');
    const waiting: RealtimeVehicle = { busId: 'B1', label: '51B-001.01', fixMs: WAIT - 10_000, lat: 10.76, lon: 106.69 };
    const t2 = (extra: Partial<ServedNextTrip> = {}): ServedNextTrip => ({
      busId: 'B1',
      tripId: 'T2',
      departureMs: at('07:01'),
      arrivals: [arrival('T2', 'S2', 3, at('07:07')), arrival('T2', 'S3', 2, at('07:04'))],
      ...extra,
    });
    const t2Trip = { tripId: 'T2', routeId: 'R1', directionId: 1, startTime: '07:00:00', startDate: '20260310', scheduleRelationship: 'SCHEDULED' };
    const waitingFeeds = (patch: Partial<RealtimeFeedInput> = {}, net: Network = network) =>
      feeds({ nowMs: WAIT, vehicles: [waiting], arrivals: [], nextTrips: [t2()], ...patch }, net);

    it('is its own trip update: the departure from the first stop after layover, then the arrivals, the bus named in both feeds', () => {
      const f = waitingFeeds();
      expect(f.tripUpdates.entity).toEqual([
        {
          id: 'trip-T2',
          tripUpdate: {
            trip: t2Trip,
            vehicle: { id: 'B1', label: '51B-001.01' },
            stopTimeUpdate: [
              { stopSequence: 10, stopId: 'S4', departure: { time: Math.floor(at('07:01') / 1000) }, scheduleRelationship: 'SCHEDULED' },
              { stopSequence: 20, stopId: 'S3', arrival: { time: Math.floor(at('07:04') / 1000) }, scheduleRelationship: 'SCHEDULED' },
              { stopSequence: 30, stopId: 'S2', arrival: { time: Math.floor(at('07:07') / 1000) }, scheduleRelationship: 'SCHEDULED' },
            ],
            timestamp: Math.floor(waiting.fixMs / 1000),
          },
        },
      ]);
      // Its position says no trip: the validator pairs a vehicle without a trip with any trip update naming it.
      expect(f.vehiclePositions.entity).toEqual([
        {
          id: 'vehicle-B1',
          vehicle: {
            vehicle: { id: 'B1', label: '51B-001.01' },
            position: { latitude: 10.76, longitude: 106.69 },
            timestamp: Math.floor(waiting.fixMs / 1000),
          },
        },
      ]);
    });

    it('names the bus still on its trip only when both trips are of one block (E047), else goes out without a vehicle (W002)', () => {
      const running = { ...onT1, fixMs: at('06:07') - 10_000, lat: 10.7601, lon: 106.6875 };
      const patch = { nowMs: at('06:07'), vehicles: [running], arrivals: [arrival('T1', 'S4', 4, at('06:08'))], nextTrips: [t2()] };
      const f = feeds(patch);
      expect(f.tripUpdates.entity.map((e) => [e.id, e.tripUpdate!.vehicle?.id])).toEqual([
        ['trip-T1', 'B1'],
        ['trip-T2', undefined],
      ]);
      expect(positions(f).map((p) => [p.vehicle.id, p.trip?.tripId])).toEqual([['B1', 'T1']]);
      const blocks = buildNetwork(
        smallFeed({
          'trips.txt': lines('route_id,service_id,trip_id,trip_headsign,direction_id,shape_id,block_id', 'R1,WK,T1,Đông,0,SH1,K1', 'R1,WK,T2,Tây,1,SH2,K1'),
        }),
      ).network;
      expect(feeds(patch, blocks).tripUpdates.entity.map((e) => [e.id, e.tripUpdate!.vehicle?.id])).toEqual([
        ['trip-T1', 'B1'],
        ['trip-T2', 'B1'],
      ]);
      expect(positions(feeds(patch, blocks)).map((p) => [p.vehicle.id, p.trip?.tripId])).toEqual([['B1', 'T1']]);
    });

    it('keeps times strictly increasing: a departure behind the clock or not before the first arrival is left out', () => {
      const times = (next: ServedNextTrip) => tripUpdates(waitingFeeds({ nextTrips: [next] }))[0]!.stopTimeUpdate.map((u) => u.stopSequence);
      expect(times(t2({ departureMs: WAIT - 1000 }))).toEqual([20, 30]);
      expect(times(t2({ departureMs: at('07:04') }))).toEqual([20, 30]);
    });

    it('is not published for a stale bus, a cancelled trip (CANCELED instead), nor twice when another bus runs it', () => {
      expect(waitingFeeds({ vehicles: [{ ...waiting, fixMs: WAIT - 5 * 60_000 - 1 }] }).tripUpdates.entity).toEqual([]);
      const cancelled = waitingFeeds({ cancelledTripIds: new Set(['T2']) }).tripUpdates.entity;
      expect(cancelled.map((e) => [e.id, e.tripUpdate!.trip.scheduleRelationship, e.tripUpdate!.vehicle])).toEqual([['trip-T2', 'CANCELED', undefined]]);
      const onT2 = { ...onT1, busId: 'B2', tripId: 'T2', fixMs: at('07:02'), lat: 10.7599, lon: 106.692 };
      const f = feeds({ nowMs: at('07:02'), vehicles: [waiting, onT2], arrivals: [arrival('T2', 'S3', 2, at('07:03'), 'B2')], nextTrips: [t2()] });
      expect(f.tripUpdates.entity.map((e) => [e.id, e.tripUpdate!.vehicle?.id])).toEqual([['trip-T2', 'B2']]);
    });

    it('carries the next trip the ingest path cached for the bus, those arrivals still ahead, with its departure', () => {
      const nextPrediction = {
        tripId: 'T2',
        busId: 'B1',
        fixTsMs: waiting.fixMs,
        departureMs: at('07:01'),
        stops: [
          { stopSequence: 2, stopId: 'S3', predictedMs: at('07:04') + 12_000 },
          { stopSequence: 3, stopId: 'S2', predictedMs: at('07:07') + 3_000 },
        ],
      };
      const vehicle = { ...waiting, nextPrediction };
      const next = servedNextTrips(network, [vehicle], WAIT, TEST_SERVICE_DAY);
      expect(next.map((n) => [n.busId, n.tripId, n.departureMs, n.arrivals.map((a) => [a.stopId, a.predictedMs, a.scheduledMs])])).toEqual([
        [
          'B1',
          'T2',
          at('07:01'),
          [
            ['S3', at('07:04') + 12_000, at('07:03')],
            ['S2', at('07:07') + 3_000, at('07:06')],
          ],
        ],
      ]);
      expect(servedNextTrips(network, [{ ...vehicle, nextPrediction: { ...nextPrediction, fixTsMs: WAIT - 6 * 60_000 } }], WAIT, TEST_SERVICE_DAY)).toEqual([]);
      expect(servedNextTrips(network, [{ ...vehicle, tripId: 'T2' }], WAIT, TEST_SERVICE_DAY)).toEqual([]);
      expect(servedNextTrips(network, [vehicle], at('07:08'), TEST_SERVICE_DAY)).toEqual([]);
    });
  });
});
