/** Stage 1 (trip assignment) and the whole pipeline on a simulated bus day, scored against the simulator's truth. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/index.js';
import { measurePolyline } from '../../../shared/kernel/geo/polyline.js';
import { assignTrips } from '../../../shared/domain/journeys/assign.js';
import { journeysOfBus, type PatternGeometry } from '../../../shared/domain/journeys/bus-journeys.js';
import { tripCatalogue } from '../../../shared/domain/journeys/trip-catalogue.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { BusDay } from '../../../simulator/core/bus-day.js';
import { planDay } from '../../../simulator/core/day-plan.js';
import type { TruthRecord } from '../../../simulator/core/events.js';
import { faultProfiles, type FaultProfile } from '../../../simulator/core/faults.js';
import { Rng } from '../../../simulator/core/rng.js';
import { drawTrafficDay } from '../../../simulator/core/traffic.js';
import { SAMPLE_NETWORK_DIR } from '../../../simulator/networks/index.js';
import { dutyMessageSchema } from '../../../shared/catalogue/messages.js';

describe('assignTrips', () => {
  const min = 60_000;
  it('takes trip windows from trip_start to trip_end', () => {
    const w = assignTrips(
      [
        { ts: 0, event: 'sign_on' },
        { ts: 10 * min, event: 'trip_start', tripId: 'A', tripOrderId: 'O' },
        { ts: 50 * min, event: 'trip_end', tripId: 'A' },
        { ts: 60 * min, event: 'trip_start', tripId: 'B', tripOrderId: 'O' },
      ],
      [],
    );
    expect(w.map((x) => [x.tripId, x.source, x.ended])).toEqual([
      ['A', 'duty', true],
      ['B', 'duty', false],
    ]);
    expect(w[0]!.toMs).toBeGreaterThan(50 * min);
    expect(w[0]!.toMs).toBeLessThanOrEqual(w[1]!.fromMs + 2 * min);
  });

  it('infers a planned trip whose trip_start was lost, between the announced ones', () => {
    const w = assignTrips(
      [
        { ts: 10 * min, event: 'trip_start', tripId: 'A' },
        { ts: 50 * min, event: 'trip_end', tripId: 'A' },
        { ts: 130 * min, event: 'trip_start', tripId: 'C' },
      ],
      [
        { tripId: 'A', plannedDepartureMs: 10 * min },
        { tripId: 'B', plannedDepartureMs: 70 * min },
        { tripId: 'C', plannedDepartureMs: 130 * min },
      ],
    );
    const b = w.find((x) => x.tripId === 'B')!;
    expect(b.source).toBe('order');
    expect(b.fromMs).toBeGreaterThanOrEqual(w.find((x) => x.tripId === 'A')!.toMs);
    expect(b.toMs).toBeLessThanOrEqual(w.find((x) => x.tripId === 'C')!.fromMs);
  });

  it('does not let a trip whose end was lost swallow the next planned trip whose start was lost', () => {
    const w = assignTrips(
      [
        { ts: 10 * min, event: 'trip_start', tripId: 'A' },
        { ts: 120 * min, event: 'trip_end', tripId: 'B' },
      ],
      [
        { tripId: 'A', plannedDepartureMs: 10 * min },
        { tripId: 'B', plannedDepartureMs: 70 * min },
      ],
    );
    const a = w.find((x) => x.tripId === 'A')!;
    const b = w.find((x) => x.tripId === 'B')!;
    expect(a.toMs).toBe(60 * min);
    expect(b).toMatchObject({ source: 'order', fromMs: 60 * min });
    expect(b.toMs).toBeGreaterThan(120 * min);
  });
});

describe('journeysOfBus on a simulated day', () => {
  let network: Network;
  beforeAll(async () => {
    ({ network } = await loadGtfs(SAMPLE_NETWORK_DIR));
  });

  function run(profile: FaultProfile, dutyIndex: number) {
    const DAY = '2026-11-26';
    const plan = planDay(network, DAY, { seed: 1, maxBuses: 7 });
    const duty = plan.duties[dutyIndex]!;
    const bus = new BusDay(network, duty, DAY, drawTrafficDay(new Rng(1, 't'), serviceTimeToEpochMs(DAY, 0, network.timezone), []), new Rng(1, duty.busId), {
      gpsIntervalS: 5,
      wifiIntervalS: 60,
      singleFareVnd: 7000,
      profile,
    });
    const track: GpsRecord[] = [];
    const dutyEvents: { ts: number; event: 'sign_on' | 'sign_off' | 'trip_start' | 'trip_end'; tripId?: string; tripOrderId?: string }[] = [];
    const truth: TruthRecord[] = [];
    for (let t = bus.signOnMs; !bus.done; t += 60_000) {
      for (const item of bus.advance(t + 60_000)) {
        if (item.truth) truth.push(item.truth);
        const body = item.message?.body as Record<string, unknown> | undefined;
        if (item.message?.kind === 'gps') track.push(...(body!.records as GpsRecord[]));
        if (item.message?.kind === 'duty') dutyEvents.push(dutyMessageSchema.parse(body));
      }
    }
    const geometry = (patternId: string): PatternGeometry => {
      const p = network.patterns.get(patternId)!;
      return { patternId, pattern: p, line: measurePolyline(network.shapes.get(p.shapeId)!.points) };
    };
    const journeys = journeysOfBus({
      track,
      duty: dutyEvents,
      planned: duty.trips.map((t) => ({ tripId: t.tripId, plannedDepartureMs: Date.parse(t.plannedDepartureAt) })),
      patternOfTrip: (id) => (network.trips.get(id) ? geometry(network.trips.get(id)!.patternId) : undefined),
      candidatePatterns: [...network.patterns.values()].filter((p) => p.routeId === duty.routeId).map((p) => geometry(p.patternId)),
      catalogue: tripCatalogue(network, DAY),
      lateAfterMs: 5 * 60_000,
      // Judged after the day: every planned trip is due.
      nowMs: serviceTimeToEpochMs(DAY, 27 * 3600, network.timezone),
    });
    return { journeys, truth };
  }

  it('finds every stop visit of a clean day within seconds, and classifies every trip', () => {
    for (const dutyIndex of [0, 4]) {
      const { journeys, truth } = run(faultProfiles.none, dutyIndex);
      const visits = new Map(journeys.flatMap((j) => j.visits.map((v) => [`${j.tripId}|${v.stopSequence}`, v] as const)));
      const truthVisits = truth.filter((r) => r.type === 'stop_visit');
      let found = 0;
      const errors: number[] = [];
      for (const t of truthVisits) {
        const v = visits.get(`${t.tripId}|${t.stopSequence}`);
        if (v?.status === 'visited') {
          found++;
          errors.push(Math.abs(v.arrivalMs! - t.arrivalMs!) / 1000);
        }
      }
      expect(found / truthVisits.length).toBeGreaterThan(0.98);
      expect(errors.sort((a, b) => a - b)[Math.floor(errors.length / 2)]!).toBeLessThan(5);
      const classes = new Map(journeys.map((j) => [j.tripId, j.classification]));
      for (const t of truth) if (t.type === 'trip') expect(classes.get(t.tripId), t.tripId).toBe(t.classification);
    }
  });

  it('tells skipped stops and missed trips from served ones', () => {
    const skipped = run({ ...faultProfiles.none, skippedStopRate: 0.2 }, 1);
    const truthSkips = new Set(skipped.truth.flatMap((r) => (r.type === 'stop_visit' && r.skipped ? [`${r.tripId}|${r.stopSequence}`] : [])));
    const found = skipped.journeys.flatMap((j) => j.visits.filter((v) => v.status === 'skipped').map((v) => `${j.tripId}|${v.stopSequence}`));
    const hits = found.filter((k) => truthSkips.has(k)).length;
    expect(hits / truthSkips.size).toBeGreaterThan(0.8);
    expect(hits / found.length).toBeGreaterThan(0.8);
    const missed = run({ ...faultProfiles.none, missedTripRate: 1 }, 2);
    expect(missed.journeys.every((j) => j.classification === 'missed')).toBe(true);
  });
});
