import { describe, expect, it } from 'vitest';
import { dutyMessageSchema, gateMessageSchema, gpsMessageSchema, wifiMessageSchema } from '../../../shared/catalogue/index.js';

const ts = 1_790_000_000_000;

describe('MQTT contract v1 schemas', () => {
  it('accepts well-formed messages of every kind', () => {
    expect(
      gpsMessageSchema.safeParse({
        v: 1,
        msgId: 'a',
        busId: 'B-1',
        records: [{ ts, lat: 10.7, lon: 106.6, speedKmh: 30, heading: 180, accuracyM: 5, doorOpen: false, odometerM: 1200 }],
      }).success,
    ).toBe(true);
    expect(
      gateMessageSchema.safeParse({ v: 1, msgId: 'a', busId: 'B-1', taps: [{ tapId: 't', ts, cardId: 'c', product: 'monthly', amountVnd: 0, medium: 'card' }] })
        .success,
    ).toBe(true);
    expect(wifiMessageSchema.safeParse({ v: 1, msgId: 'a', busId: 'B-1', ts, up: true, clients: 0, bytesIn: 0, bytesOut: 0 }).success).toBe(true);
    expect(dutyMessageSchema.safeParse({ v: 1, msgId: 'a', busId: 'B-1', ts, event: 'sign_on', driverId: 'D1' }).success).toBe(true);
  });

  it.each([
    ['version 2', { v: 2 }],
    ['a busId with a slash', { busId: 'B/1' }],
    ['a busId longer than 64', { busId: 'B'.repeat(65) }],
    ['no records', { records: [] }],
    ['601 records', { records: Array.from({ length: 601 }, (_, i) => ({ ts: ts + i, lat: 0, lon: 0 })) }],
    ['latitude 91', { records: [{ ts, lat: 91, lon: 0 }] }],
    ['longitude -181', { records: [{ ts, lat: 0, lon: -181 }] }],
    ['speed 151 km/h', { records: [{ ts, lat: 0, lon: 0, speedKmh: 151 }] }],
    ['a fractional ts', { records: [{ ts: 1.5, lat: 0, lon: 0 }] }],
  ])('refuses a GPS message with %s', (_name, change) => {
    const base = { v: 1, msgId: 'a', busId: 'B-1', records: [{ ts, lat: 10, lon: 106 }] };
    expect(gpsMessageSchema.safeParse({ ...base, ...change }).success).toBe(false);
  });

  it.each([
    ['a fractional amount', { amountVnd: 7000.5 }],
    ['a negative amount', { amountVnd: -1 }],
    ['an unknown product', { product: 'gold' }],
    ['an unknown medium', { medium: 'cheque' }],
  ])('refuses a tap with %s', (_name, change) => {
    const tap = { tapId: 't', ts, cardId: 'c', product: 'single', amountVnd: 7000, medium: 'cash', ...change };
    expect(gateMessageSchema.safeParse({ v: 1, msgId: 'a', busId: 'B-1', taps: [tap] }).success).toBe(false);
  });

  it('refuses an unknown duty event and negative wifi counters', () => {
    expect(dutyMessageSchema.safeParse({ v: 1, msgId: 'a', busId: 'B', ts, event: 'lunch' }).success).toBe(false);
    expect(wifiMessageSchema.safeParse({ v: 1, msgId: 'a', busId: 'B', ts, up: true, clients: -1, bytesIn: 0, bytesOut: 0 }).success).toBe(false);
  });

  it('keeps the GTFS start time of a trip_start, and refuses one that is not a GTFS time', () => {
    const base = { v: 1, msgId: 'a', busId: 'B-1', ts, event: 'trip_start', tripId: 'CITY1' };
    for (const startTime of ['06:00:00', '6:00:00', '25:10:00']) {
      expect(dutyMessageSchema.parse({ ...base, startTime }).startTime).toBe(startTime);
    }
    expect(dutyMessageSchema.safeParse(base).success).toBe(true);
    for (const startTime of ['6:00', '06:60:00', '48:00:00', '']) {
      expect(dutyMessageSchema.safeParse({ ...base, startTime }).success, startTime).toBe(false);
    }
  });
});
