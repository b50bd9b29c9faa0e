/** Recomputing a bus-day: a late batch fills a gap and the same trips come out, with no duplicated visits. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/index.js';
import { recomputeBusDay, type JourneyInputs } from '../../../shared/domain/journeys/recompute.js';
import type { PerformedTrip } from '../../../shared/domain/journeys/performed-trip.js';
import { loadGtfs, type Network } from '../../../shared/gtfs/model.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { BusDay } from '../../../simulator/core/bus-day.js';
import { planDay, tripOrderOf } from '../../../simulator/core/day-plan.js';
import { faultProfiles } from '../../../simulator/core/faults.js';
import { Rng } from '../../../simulator/core/rng.js';
import { drawTrafficDay } from '../../../simulator/core/traffic.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';
import { createTripOrder } from '../../../shared/domain/trip-orders/lifecycle.js';

const DAY = '2026-11-26';
let network: Network;
let track: GpsRecord[];
let duty: { ts: number; event: 'sign_on' | 'sign_off' | 'trip_start' | 'trip_end'; tripId?: string; tripOrderId?: string }[];
let inputs: (fixes: GpsRecord[]) => JourneyInputs;

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  const plan = planDay(network, DAY, { seed: 3, maxBuses: 7 });
  const d = plan.duties[2]!;
  const bus = new BusDay(network, d, DAY, drawTrafficDay(new Rng(3, 't'), serviceTimeToEpochMs(DAY, 0, network.timezone), []), new Rng(3, d.busId), { gpsIntervalS: 5, wifiIntervalS: 60, singleFareVnd: 7000, profile: faultProfiles.none });
  track = [];
  duty = [];
  for (let t = bus.signOnMs; !bus.done; t += 60_000) {
    for (const item of bus.advance(t + 60_000)) {
      const body = item.message?.body as Record<string, unknown> | undefined;
      if (item.message?.kind === 'gps') track.push(...(body!.records as GpsRecord[]));
      if (item.message?.kind === 'duty') duty.push(body as never);
    }
  }
  const order = createTripOrder({ ...tripOrderOf(d, DAY), staff: [], issue: true }, { role: 'operator', id: 'u', operatorId: d.operatorId }, Date.UTC(2026, 2, 9, 20, 0), d.tripOrderId);
  const approved = { ...order, status: 'approved' as const };
  inputs = (fixes) => ({
    gps: async (_b, from, to) => fixes.filter((f) => f.ts >= from && f.ts < to),
    duty: async () => duty,
    taps: async () => [],
    wifi: async () => [],
    orders: async () => [approved],
    operatorOf: async () => d.operatorId,
  });
});

describe('recomputeBusDay', () => {
  it('turns the stops a data gap hid into visits when the late batch arrives, without duplicating anything', async () => {
    const stored: PerformedTrip[][] = [];
    const store = { replaceBusDay: async (_b: string, _d: string, trips: readonly PerformedTrip[]) => void stored.push([...trips]) };
    // The device was offline for 20 minutes in the middle of the day: those fixes arrive later.
    const mid = track[Math.floor(track.length / 2)]!.ts;
    const gap = (f: GpsRecord) => f.ts >= mid && f.ts < mid + 20 * 60_000;
    const first = await recomputeBusDay('B', DAY, { inputs: inputs(track.filter((f) => !gap(f))), store, network, now: () => 0 });
    const late = await recomputeBusDay('B', DAY, { inputs: inputs(track), store, network, now: () => 0 });
    const count = (trips: PerformedTrip[], status: string) => trips.reduce((n, t) => n + t.visits.filter((v) => v.status === status).length, 0);
    expect(count(first, 'unobserved')).toBeGreaterThan(count(late, 'unobserved'));
    expect(count(late, 'visited')).toBeGreaterThan(count(first, 'visited'));
    expect(late.map((t) => t.tripId)).toEqual(first.map((t) => t.tripId));
    expect(new Set(late.map((t) => t.tripId)).size).toBe(late.length);
    // The same data again gives the same result.
    const again = await recomputeBusDay('B', DAY, { inputs: inputs([...track].reverse()), store, network, now: () => 0 });
    expect(again).toEqual(late);
  });
});
