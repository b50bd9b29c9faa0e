import { describe, expect, it } from 'vitest';
import { decodeFeed, encodeFeed } from '../../../shared/adapters/gtfs-rt/encode.js';
import { realtimeVehicleOf } from '../../../shared/adapters/gtfs-rt/vehicle-source.js';
import type { FeedMessage } from '../../../shared/domain/gtfs-rt/feed-message.js';
import { TEST_NOW } from '../../support/test-clock.js';

describe('GTFS-Realtime adapters', () => {
  it('encodes a feed as protobuf that decodes back to the same message', () => {
    const nowS = Math.floor(TEST_NOW / 1000);
    const trip = { tripId: 'T1', routeId: 'R1', directionId: 0, startTime: '10:00:00', startDate: '20260310', scheduleRelationship: 'UNSCHEDULED' } as const;
    const feed: FeedMessage = {
      header: { gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: nowS },
      entity: [
        {
          id: 'trip-T1',
          tripUpdate: {
            trip,
            vehicle: { id: 'B1' },
            timestamp: nowS - 5,
            stopTimeUpdate: [
              { stopSequence: 1, stopId: 'S1', departure: { time: nowS + 30 }, scheduleRelationship: 'UNSCHEDULED' },
              { stopSequence: 2, stopId: 'S2', arrival: { time: nowS + 60 }, scheduleRelationship: 'UNSCHEDULED' },
            ],
          },
        },
        // A bus between trips: its position with no trip.
        { id: 'vehicle-B1', vehicle: { vehicle: { id: 'B1' }, position: { latitude: 10.5, longitude: 106.5 }, timestamp: nowS - 5 } },
      ],
    };
    expect(decodeFeed(encodeFeed(feed))).toEqual(feed);
  });

  it("reads a vehicles item: the trip only while on duty, the live side's route and service day when present", () => {
    const item = { busId: 'B1', plate: '51B-1', position: { ts: TEST_NOW, lat: 10.7, lon: 106.6, heading: 45, speedKmh: 20, receivedAt: TEST_NOW } };
    expect(realtimeVehicleOf({ ...item, duty: { tsMs: TEST_NOW, onDuty: true, tripId: 'T1', routeId: 'R1', serviceDay: '2026-03-10' } })).toEqual({
      busId: 'B1',
      label: '51B-1',
      fixMs: TEST_NOW,
      lat: 10.7,
      lon: 106.6,
      bearingDeg: 45,
      speedKmh: 20,
      tripId: 'T1',
      routeId: 'R1',
      serviceDate: '2026-03-10',
    });
    expect(realtimeVehicleOf({ ...item, duty: { tsMs: TEST_NOW, onDuty: false, tripId: 'T1' } })?.tripId).toBeUndefined();
    expect(realtimeVehicleOf({ busId: 'B2' })).toBeUndefined();
  });

  it('reads the predictions the ingest path cached for the trip the bus runs, not those of another trip', () => {
    const item = { busId: 'B1', position: { ts: TEST_NOW, lat: 10.7, lon: 106.6, receivedAt: TEST_NOW }, duty: { tsMs: TEST_NOW, onDuty: true, tripId: 'T1' } };
    const trip = { tripId: 'T1', busId: 'B1', fixTsMs: TEST_NOW, stops: [{ stopSequence: 3, stopId: 'S3', predictedMs: TEST_NOW + 60_000 }] };
    expect(realtimeVehicleOf({ ...item, prediction: { cachedTripIds: ['T1'], trip } })?.prediction).toEqual(trip);
    expect(realtimeVehicleOf({ ...item, prediction: { cachedTripIds: ['T0'], trip: { ...trip, tripId: 'T0' } } })?.prediction).toBeUndefined();
  });

  it("reads the next trip's predictions of a bus on duty, between trips or on the trip before, not of the trip it runs", () => {
    const item = { busId: 'B1', position: { ts: TEST_NOW, lat: 10.7, lon: 106.6, receivedAt: TEST_NOW } };
    const next = {
      tripId: 'T2',
      busId: 'B1',
      fixTsMs: TEST_NOW,
      departureMs: TEST_NOW + 60_000,
      stops: [{ stopSequence: 2, stopId: 'S3', predictedMs: TEST_NOW + 180_000 }],
    };
    expect(realtimeVehicleOf({ ...item, duty: { tsMs: TEST_NOW, onDuty: true }, prediction: { next } })?.nextPrediction).toEqual(next);
    expect(realtimeVehicleOf({ ...item, duty: { tsMs: TEST_NOW, onDuty: true, tripId: 'T1' }, prediction: { next } })?.nextPrediction).toEqual(next);
    expect(realtimeVehicleOf({ ...item, duty: { tsMs: TEST_NOW, onDuty: true, tripId: 'T2' }, prediction: { next } })?.nextPrediction).toBeUndefined();
    expect(realtimeVehicleOf({ ...item, duty: { tsMs: TEST_NOW, onDuty: false }, prediction: { next } })?.nextPrediction).toBeUndefined();
  });
});
