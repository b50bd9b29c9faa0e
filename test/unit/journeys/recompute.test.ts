/**
 * Recomputing a bus-day: a late batch fills a gap and the same trips come out, with no duplicated visits; live,
 * only the trips due by the clock are judged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/index.js';
import { arrivalDelayS, recomputeBusDay, type JourneyInputs } from '../../../shared/domain/journeys/recompute.js';
import { summariseQuality } from '../../../shared/domain/journeys/quality.js';
import { fareTransactionsCsv, passengerEventsCsv, stopVisitsCsv, tripsPerformedCsv } from '../../../shared/domain/journeys/tides.js';
import type { JourneyRecord } from '../../../shared/domain/journeys/journey-record.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { BusDay } from '../../../simulator/core/bus-day.js';
import { planDay, tripOrderOf } from '../../../simulator/core/day-plan.js';
import { faultProfiles } from '../../../simulator/core/faults.js';
import { Rng } from '../../../simulator/core/rng.js';
import { drawTrafficDay } from '../../../simulator/core/traffic.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';
import { createTripOrder } from '../../../shared/domain/trip-orders/lifecycle.js';
import { dutyMessageSchema } from '../../../shared/catalogue/messages.js';

const DAY = '2026-11-26';
let network: Network;
let track: GpsRecord[];
let duty: { ts: number; event: 'sign_on' | 'sign_off' | 'trip_start' | 'trip_end'; tripId?: string; tripOrderId?: string }[];
let inputs: (fixes: GpsRecord[], dutyEvents?: typeof duty) => JourneyInputs;
let dayEnd: number;

beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  const plan = planDay(network, DAY, { seed: 3, maxBuses: 7 });
  const d = plan.duties[2]!;
  const bus = new BusDay(network, d, DAY, drawTrafficDay(new Rng(3, 't'), serviceTimeToEpochMs(DAY, 0, network.timezone), []), new Rng(3, d.busId), {
    gpsIntervalS: 5,
    wifiIntervalS: 60,
    singleFareVnd: 7000,
    profile: faultProfiles.none,
  });
  track = [];
  duty = [];
  for (let t = bus.signOnMs; !bus.done; t += 60_000) {
    for (const item of bus.advance(t + 60_000)) {
      const body = item.message?.body as Record<string, unknown> | undefined;
      if (item.message?.kind === 'gps') track.push(...(body!.records as GpsRecord[]));
      if (item.message?.kind === 'duty') duty.push(dutyMessageSchema.parse(body));
    }
  }
  const order = createTripOrder(
    { ...tripOrderOf(d, DAY), staff: [], issue: true },
    { role: 'operator', id: 'u', operatorId: d.operatorId },
    serviceTimeToEpochMs(DAY, 4 * 3600, network.timezone),
    d.tripOrderId,
  );
  const approved = { ...order, status: 'approved' as const };
  dayEnd = serviceTimeToEpochMs(DAY, 27 * 3600, network.timezone);
  inputs = (fixes, dutyEvents = duty) => ({
    gps: async (_b, from, to) => fixes.filter((f) => f.ts >= from && f.ts < to),
    duty: async () => dutyEvents,
    taps: async () => [],
    wifi: async () => [],
    orders: async () => [approved],
    operatorOf: async () => d.operatorId,
  });
});

describe('recomputeBusDay', () => {
  it('turns the stops a data gap hid into visits when the late batch arrives, without duplicating anything', async () => {
    const stored: JourneyRecord[][] = [];
    const store = { replaceBusDay: async (_b: string, _d: string, trips: readonly JourneyRecord[]) => void stored.push([...trips]) };
    // The device was offline for 20 minutes in the middle of the day: those fixes arrive later.
    const mid = track[Math.floor(track.length / 2)]!.ts;
    const gap = (f: GpsRecord) => f.ts >= mid && f.ts < mid + 20 * 60_000;
    const first = await recomputeBusDay('B', DAY, { inputs: inputs(track.filter((f) => !gap(f))), store, network, now: () => dayEnd });
    const late = await recomputeBusDay('B', DAY, { inputs: inputs(track), store, network, now: () => dayEnd });
    const count = (trips: JourneyRecord[], status: string) => trips.reduce((n, t) => n + t.visits.filter((v) => v.status === status).length, 0);
    expect(count(first, 'unobserved')).toBeGreaterThan(count(late, 'unobserved'));
    expect(count(late, 'visited')).toBeGreaterThan(count(first, 'visited'));
    expect(late.map((t) => t.tripId)).toEqual(first.map((t) => t.tripId));
    expect(new Set(late.map((t) => t.tripId)).size).toBe(late.length);
    // The same data again gives the same result.
    const again = await recomputeBusDay('B', DAY, { inputs: inputs([...track].reverse()), store, network, now: () => dayEnd });
    expect(again).toEqual(late);
  });

  it('judges mid-morning only the trips due by the clock: the afternoon’s are scheduled, out of quality and TIDES', async () => {
    const store = { replaceBusDay: async () => undefined };
    const tenAm = serviceTimeToEpochMs(DAY, 10 * 3600, network.timezone);
    // What is stored at 10:00: the morning's positions and duty events, nothing later.
    const live = await recomputeBusDay('B', DAY, {
      inputs: inputs(
        track.filter((f) => f.ts < tenAm),
        duty.filter((e) => e.ts < tenAm),
      ),
      store,
      network,
      now: () => tenAm,
    });
    const due = live.filter((t) => t.plannedDepartureMs! + 5 * 60_000 <= tenAm);
    const later = live.filter((t) => t.plannedDepartureMs! > tenAm);
    expect(due.length).toBeGreaterThan(1);
    expect(later.length).toBeGreaterThan(1);
    expect(due.every((t) => t.classification !== 'scheduled' && t.classification !== 'missed')).toBe(true);
    expect(later.every((t) => t.classification === 'scheduled')).toBe(true);

    const scheduled = live.filter((t) => t.classification === 'scheduled');
    const quality = summariseQuality(live);
    expect(quality).toMatchObject({ trips: live.length - scheduled.length, planned: live.length - scheduled.length, scheduled: scheduled.length, missed: 0 });
    const judged = live.filter((t) => t.classification !== 'scheduled');
    const ids = (csv: string) =>
      new Set(
        csv
          .trim()
          .split('\r\n')
          .slice(1)
          .map((l) => l.split(',')[1]),
      );
    const tripsCsv = tripsPerformedCsv(live);
    expect(tripsCsv.trim().split('\r\n')).toHaveLength(judged.length + 1);
    expect(tripsCsv).not.toContain('Canceled');
    for (const t of scheduled) {
      const id = `B:${t.tripId}`;
      expect(ids(tripsCsv).has(id)).toBe(false);
      expect(ids(stopVisitsCsv(live)).has(id)).toBe(false);
      expect(passengerEventsCsv(live)).not.toContain(`,${id},`);
      expect(fareTransactionsCsv(live)).not.toContain(`,${id},`);
    }

    // The bus ran nothing after 10:00: once the day is over (the day-end job), the afternoon's trips are missed.
    const after = await recomputeBusDay('B', DAY, {
      inputs: inputs(
        track.filter((f) => f.ts < tenAm),
        duty.filter((e) => e.ts < tenAm),
      ),
      store,
      network,
      now: () => dayEnd,
    });
    expect(after.filter((t) => t.plannedDepartureMs! > tenAm).every((t) => t.classification === 'missed')).toBe(true);
    expect(summariseQuality(after)).toMatchObject({ scheduled: 0, missed: expect.any(Number) });
    expect(summariseQuality(after).missed).toBeGreaterThanOrEqual(later.length);
  });

  it('stores a delay that rounds to zero as 0, never -0', () => {
    const scheduled = Date.parse('2026-11-26T01:00:00Z');
    expect(Object.is(arrivalDelayS(scheduled - 300, scheduled), 0)).toBe(true);
    expect(arrivalDelayS(scheduled - 1_600, scheduled)).toBe(-2);
    expect(arrivalDelayS(scheduled + 2_500, scheduled)).toBe(3);
  });
});
