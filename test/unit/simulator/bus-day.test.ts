/** One bus's simulated day: what it publishes agrees with what really happened, with and without faults. */
import { beforeAll, describe, expect, it } from 'vitest';
import { gpsMessageSchema, gateMessageSchema, dutyMessageSchema, wifiMessageSchema } from '../../../shared/catalogue/index.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { measurePolyline, projectOntoPolyline } from '../../../shared/kernel/geo/polyline.js';
import { BusDay } from '../../../simulator/core/bus-day.js';
import { planDay } from '../../../simulator/core/day-plan.js';
import type { OutboundMessage, TruthRecord } from '../../../simulator/core/events.js';
import { faultProfiles, type FaultProfile } from '../../../simulator/core/faults.js';
import { Rng } from '../../../simulator/core/rng.js';
import { drawTrafficDay } from '../../../simulator/core/traffic.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';

const DAY = '2026-11-26';
let network: Network;
beforeAll(async () => {
  ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
});

function simulate(profile: FaultProfile, dutyIndex = 0) {
  const plan = planDay(network, DAY, { seed: 1, maxBuses: 7 });
  const duty = plan.duties[dutyIndex]!;
  const midnight = serviceTimeToEpochMs(DAY, 0, network.timezone);
  const traffic = drawTrafficDay(new Rng(1, 'traffic'), midnight, []);
  const bus = new BusDay(network, duty, DAY, traffic, new Rng(1, duty.busId), { gpsIntervalS: 5, wifiIntervalS: 60, singleFareVnd: 7000, profile });
  const messages: OutboundMessage[] = [];
  const truth: TruthRecord[] = [];
  for (let t = bus.signOnMs; !bus.done && t < midnight + 30 * 3_600_000; t += 60_000) {
    for (const item of bus.advance(t + 60_000)) {
      if (item.message) messages.push(item.message);
      if (item.truth) truth.push(item.truth);
    }
  }
  return { duty, messages, truth, bus };
}

describe('BusDay without faults', () => {
  it('runs every planned trip completely, serving every stop in order', () => {
    const { duty, truth } = simulate(faultProfiles.none);
    const trips = truth.filter((r) => r.type === 'trip');
    expect(trips.map((t) => t.tripId)).toEqual(duty.trips.map((t) => t.tripId));
    expect(new Set(trips.map((t) => t.classification))).toEqual(new Set(['completed']));
    for (const trip of trips) {
      const visits = truth.filter((r) => r.type === 'stop_visit' && r.tripId === trip.tripId);
      expect(visits.map((v) => (v.type === 'stop_visit' ? v.stopSequence : 0))).toEqual(visits.map((_, i) => i + 1));
      for (const v of visits) if (v.type === 'stop_visit') expect(v.skipped || v.departureMs! >= v.arrivalMs!).toBe(true);
      expect(visits.every((v) => v.type === 'stop_visit' && !v.skipped)).toBe(true);
    }
  });

  it('publishes only valid MQTT contract messages', () => {
    const { messages } = simulate(faultProfiles.none);
    const schemas = { gps: gpsMessageSchema, gate: gateMessageSchema, wifi: wifiMessageSchema, duty: dutyMessageSchema };
    for (const m of messages) expect(schemas[m.kind].safeParse(m.body).success, JSON.stringify(m.body)).toBe(true);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(messages.length);
  });

  it('reports a fix every 5 s on the pattern’s shape, in time order', () => {
    const { messages, duty } = simulate(faultProfiles.none);
    const fixes = messages.filter((m) => m.kind === 'gps').map((m) => (m.body as { records: { ts: number; lat: number; lon: number }[] }).records[0]!);
    for (let i = 1; i < fixes.length; i++) expect(fixes[i]!.ts - fixes[i - 1]!.ts).toBe(5000);
    const shapes = new Set(duty.trips.map((t) => network.patterns.get(t.patternId)!.shapeId));
    const lines = [...shapes].map((id) => measurePolyline(network.shapes.get(id)!.points));
    const offsets = fixes.map((f) => Math.min(...lines.map((l) => projectOntoPolyline(l, f).offsetM)));
    expect(Math.max(...offsets)).toBeLessThan(5);
  });

  it('taps every boarding once, at the stop where it happened, and frames the day with duty events', () => {
    const { truth, messages } = simulate(faultProfiles.none);
    const boardings = truth.reduce((n, r) => n + (r.type === 'stop_visit' ? r.boardings : 0), 0);
    const taps = messages.filter((m) => m.kind === 'gate').flatMap((m) => (m.body as { taps: { tapId: string; amountVnd: number }[] }).taps);
    expect(taps).toHaveLength(boardings);
    expect(boardings).toBeGreaterThan(50);
    expect(taps.every((t) => Number.isInteger(t.amountVnd))).toBe(true);
    const duty = messages.filter((m) => m.kind === 'duty').map((m) => (m.body as { event: string }).event);
    expect(duty[0]).toBe('sign_on');
    expect(duty[duty.length - 1]).toBe('sign_off');
    expect(duty.filter((e) => e === 'trip_start')).toHaveLength(duty.filter((e) => e === 'trip_end').length);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(simulate(faultProfiles.none).messages)).toBe(JSON.stringify(simulate(faultProfiles.none).messages));
  });
});

describe('BusDay with operational faults', () => {
  it('still publishes only valid MQTT contract messages (integer times and all)', () => {
    const schemas = { gps: gpsMessageSchema, gate: gateMessageSchema, wifi: wifiMessageSchema, duty: dutyMessageSchema };
    for (const dutyIndex of [0, 3, 5]) {
      const { messages } = simulate({ ...faultProfiles.harsh, lateDepartureRate: 1 }, dutyIndex);
      for (const m of messages) expect(schemas[m.kind].safeParse(m.body).success, JSON.stringify(m.body)).toBe(true);
    }
  });

  it('skips intermediate stops when told to, and says so in the truth', () => {
    const { truth } = simulate({ ...faultProfiles.none, skippedStopRate: 1 });
    const visits = truth.filter((r) => r.type === 'stop_visit');
    const skipped = visits.filter((v) => v.type === 'stop_visit' && v.skipped);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((v) => v.type === 'stop_visit' && v.stopSequence > 1 && v.arrivalMs === undefined)).toBe(true);
    expect(truth.filter((r) => r.type === 'fault' && r.fault === 'skipped_stop')).toHaveLength(skipped.length);
  });

  it('misses trips, and publishes no trip_start for them', () => {
    const { truth, messages } = simulate({ ...faultProfiles.none, missedTripRate: 1 });
    expect(truth.filter((r) => r.type === 'trip').every((t) => t.type === 'trip' && t.classification === 'missed')).toBe(true);
    expect(messages.filter((m) => m.kind === 'duty' && (m.body as { event: string }).event === 'trip_start')).toHaveLength(0);
  });

  it('departs late and classifies the trip late', () => {
    const { truth } = simulate({ ...faultProfiles.none, lateDepartureRate: 1, lateDepartureMaxMinutes: 20 });
    const trips = truth.filter((r) => r.type === 'trip');
    expect(trips.some((t) => t.type === 'trip' && t.classification === 'late')).toBe(true);
    for (const t of trips) if (t.type === 'trip' && t.classification === 'late') expect(t.actualStartMs! - t.plannedDepartureMs!).toBeGreaterThan(5 * 60_000);
  });

  it('short-turns trips: partial, the stops after the turn not served', () => {
    const { truth } = simulate({ ...faultProfiles.none, shortTurnRate: 1 });
    const trips = truth.filter((r) => r.type === 'trip');
    expect(trips.every((t) => t.type === 'trip' && t.classification === 'partial' && t.stopsVisited < t.stopsTotal)).toBe(true);
  });
});
