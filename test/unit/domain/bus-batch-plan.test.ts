import { describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/index.js';
import { planBusBatch, withoutStored, type TimedMessage } from '../../../shared/domain/telemetry/bus-batch-plan.js';
import type { VehicleState } from '../../../shared/domain/vehicles/vehicle-state.js';

const t0 = 1_790_000_000_000;
const fix = (ts: number, lat = 10.7): GpsRecord => ({ ts, lat, lon: 106.7 });
const gpsMsg = (msgId: string, records: GpsRecord[], receivedAt = t0 + 100_000): TimedMessage => ({
  message: { kind: 'gps', busId: 'B1', msgId, records },
  receivedAt,
});
const hash = (card: string) => `h(${card})`;

describe('planBusBatch', () => {
  it('splits fresh from late positions at the stored watermark and removes duplicates', () => {
    const state: VehicleState = { busId: 'B1', version: 3, position: { ...fix(t0 + 50_000), receivedAt: t0 } };
    const plan = planBusBatch(
      'B1',
      state,
      [gpsMsg('a', [fix(t0 + 60_000), fix(t0 + 40_000), fix(t0 + 50_000)]), gpsMsg('b', [fix(t0 + 60_000, 99), fix(t0 + 70_000)])],
      hash,
    );
    expect(plan.freshGps.map((p) => p.ts)).toEqual([t0 + 60_000, t0 + 70_000]);
    expect(plan.freshGps[0]!.lat).toBe(10.7); // the first copy of a bus+ts wins
    expect(plan.lateGps.map((p) => p.ts)).toEqual([t0 + 40_000, t0 + 50_000]);
    expect(plan.nextPosition?.ts).toBe(t0 + 70_000);
  });

  it('does not move the vehicle back for a late batch', () => {
    const state: VehicleState = { busId: 'B1', version: 3, position: { ...fix(t0 + 50_000), receivedAt: t0 } };
    const plan = planBusBatch('B1', state, [gpsMsg('late', [fix(t0), fix(t0 + 10_000)])], hash);
    expect(plan.nextPosition).toBeUndefined();
    expect(plan.lateGps).toHaveLength(2);
    expect(plan.freshGps).toHaveLength(0);
  });

  it('treats every position as fresh for a bus never seen', () => {
    const plan = planBusBatch('B1', undefined, [gpsMsg('a', [fix(t0 + 5), fix(t0)])], hash);
    expect(plan.freshGps.map((p) => p.ts)).toEqual([t0, t0 + 5]);
    expect(plan.nextPosition).toMatchObject({ ts: t0 + 5, receivedAt: t0 + 100_000 });
  });

  it('pseudonymises cards and keeps one tap per tapId', () => {
    const taps = [
      { tapId: 't1', ts: t0, cardId: '1234', product: 'single' as const, amountVnd: 7000, medium: 'card' as const },
      { tapId: 't1', ts: t0, cardId: '1234', product: 'single' as const, amountVnd: 7000, medium: 'card' as const },
      { tapId: 't2', ts: t0 + 1, cardId: '5678', product: 'free' as const, amountVnd: 0, medium: 'card' as const, stopId: 'S1' },
    ];
    const plan = planBusBatch('B1', undefined, [{ message: { kind: 'gate', busId: 'B1', msgId: 'g', taps }, receivedAt: t0 }], hash);
    expect(plan.taps).toEqual([
      { tapId: 't1', ts: t0, cardHash: 'h(1234)', product: 'single', amountVnd: 7000, medium: 'card', msgId: 'g', receivedAt: t0 },
      { tapId: 't2', ts: t0 + 1, cardHash: 'h(5678)', product: 'free', amountVnd: 0, medium: 'card', stopId: 'S1', msgId: 'g', receivedAt: t0 },
    ]);
    expect(JSON.stringify(plan)).not.toContain('"cardId"');
  });

  it('applies duty events in device-time order and stores each once', () => {
    const duty = (ts: number, event: 'sign_on' | 'trip_start' | 'trip_end', extra = {}): TimedMessage => ({
      message: { kind: 'duty', busId: 'B1', msgId: `${ts}`, event: { v: 1, msgId: `${ts}`, busId: 'B1', ts, event, ...extra } },
      receivedAt: t0,
    });
    const plan = planBusBatch(
      'B1',
      undefined,
      [duty(t0, 'sign_on', { driverId: 'D1' }), duty(t0 + 10, 'trip_start', { tripId: 'T1' }), duty(t0 + 10, 'trip_start', { tripId: 'T1' })],
      hash,
    );
    expect(plan.dutyEvents).toHaveLength(2);
    expect(plan.nextDuty).toEqual({ tsMs: t0 + 10, onDuty: true, driverId: 'D1', tripId: 'T1' });
  });
});

describe('planBusBatch and the device clock', () => {
  const fastClock: VehicleState = {
    busId: 'B1',
    version: 4,
    position: { ...fix(t0 + 30_000), receivedAt: t0 + 300 },
    clock: { offsetMs: 30_000, estimateMs: 30_000, samples: Array.from({ length: 6 }, (_, i): [number, number] => [t0 - i * 10_000, -30_000]) },
  };

  it('corrects taps, wifi samples and duty events by the offset in force, keeping the device ts', () => {
    const tap = { tapId: 't1', ts: t0 + 40_000, cardId: '1', product: 'single' as const, amountVnd: 7000, medium: 'card' as const };
    const plan = planBusBatch(
      'B1',
      fastClock,
      [
        { message: { kind: 'gate', busId: 'B1', msgId: 'g', taps: [tap] }, receivedAt: t0 + 10_000 },
        {
          message: {
            kind: 'wifi',
            busId: 'B1',
            msgId: 'w',
            sample: { v: 1, msgId: 'w', busId: 'B1', ts: t0 + 40_000, up: true, clients: 3, bytesIn: 1, bytesOut: 1 },
          },
          receivedAt: t0 + 10_000,
        },
        {
          message: { kind: 'duty', busId: 'B1', msgId: 'd', event: { v: 1, msgId: 'd', busId: 'B1', ts: t0 + 40_000, event: 'trip_start', tripId: 'T1' } },
          receivedAt: t0 + 10_000,
        },
      ],
      hash,
    );
    expect(plan.clockOffsetMs).toBe(30_000);
    expect(plan.taps[0]).toMatchObject({ ts: t0 + 10_000, deviceTs: t0 + 40_000 });
    expect(plan.wifi[0]).toMatchObject({ ts: t0 + 10_000, deviceTs: t0 + 40_000 });
    expect(plan.dutyEvents[0]).toMatchObject({ ts: t0 + 10_000, deviceTs: t0 + 40_000, event: 'trip_start' });
    // The vehicle's duty follows the device's own order.
    expect(plan.nextDuty?.tsMs).toBe(t0 + 40_000);
  });

  it('judges positions against the watermark in device time', () => {
    const plan = planBusBatch('B1', fastClock, [gpsMsg('a', [fix(t0 + 20_000), fix(t0 + 40_000)], t0 + 10_300)], hash);
    expect(plan.lateGps.map((p) => p.ts)).toEqual([t0 + 20_000]);
    expect(plan.freshGps.map((p) => p.ts)).toEqual([t0 + 40_000]);
    expect(plan.nextClock.samples).toHaveLength(7);
  });

  it('leaves a bus without a trusted offset as received', () => {
    const plan = planBusBatch(
      'B1',
      undefined,
      [{ message: { kind: 'duty', busId: 'B1', msgId: 'd', event: { v: 1, msgId: 'd', busId: 'B1', ts: t0 + 30_000, event: 'sign_on' } }, receivedAt: t0 }],
      hash,
    );
    expect(plan.clockOffsetMs).toBe(0);
    expect(plan.dutyEvents[0]).toEqual({ v: 1, msgId: 'd', busId: 'B1', ts: t0 + 30_000, event: 'sign_on', receivedAt: t0 });
  });
});

describe('withoutStored', () => {
  it('drops the late positions storage already holds', () => {
    expect(withoutStored([fix(1), fix(2), fix(3)], new Set([2])).map((p) => p.ts)).toEqual([1, 3]);
  });
});

describe('planBusBatch with a rotated card key', () => {
  it('stores the key version and the link hashes of each tap', () => {
    const taps = [{ tapId: 't1', ts: t0, cardId: '1234', product: 'single' as const, amountVnd: 7000, medium: 'card' as const }];
    const plan = planBusBatch('B1', undefined, [{ message: { kind: 'gate', busId: 'B1', msgId: 'g', taps }, receivedAt: t0 }], (card) => ({
      cardHash: `h2(${card})`,
      cardKeyVersion: 2,
      cardLinkHashes: { 1: `h1(${card})` },
    }));
    expect(plan.taps).toEqual([
      {
        tapId: 't1',
        ts: t0,
        cardHash: 'h2(1234)',
        cardKeyVersion: 2,
        cardLinkHashes: { 1: 'h1(1234)' },
        product: 'single',
        amountVnd: 7000,
        medium: 'card',
        msgId: 'g',
        receivedAt: t0,
      },
    ]);
  });
});
