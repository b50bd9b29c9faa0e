/**
 * Trips as buses announce them: a frequencies.txt run by its template's trip_id (with or without its start time),
 * and a trip_id the network does not know, which is reconstructed as unscheduled rather than dropped.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpsRecord } from '../../../shared/catalogue/index.js';
import { measurePolyline, pointAtDistance } from '../../../shared/kernel/geo/polyline.js';
import { assignTrips, resolveAnnouncedTrip, type DutyEventLike } from '../../../shared/domain/journeys/assign.js';
import { journeysOfBus, type PatternGeometry } from '../../../shared/domain/journeys/bus-journeys.js';
import { tripCatalogue } from '../../../shared/domain/journeys/trip-catalogue.js';
import type { Network } from '../../../shared/gtfs/model.js';
import { loadGtfs } from '../../../shared/gtfs/load.js';
import { serviceTimeToEpochMs } from '../../../shared/gtfs/time.js';
import { GOOGLE_SAMPLE_FEED_ZIP } from '../../fixtures/gtfs/google-sample-feed.js';

/** Judged after the day: every planned trip is due. */
const DAY_OVER = Date.UTC(2030, 0, 1);

// A Tuesday the sample feed's full-week service runs (2007-06-04 is removed by calendar_dates.txt).
const DAY = '2007-06-05';
let network: Network;
const at = (h: number, m = 0, s = 0) => serviceTimeToEpochMs(DAY, h * 3600 + m * 60 + s, network.timezone);

beforeAll(async () => {
  ({ network } = await loadGtfs(GOOGLE_SAMPLE_FEED_ZIP));
});

const geometry = (patternId: string): PatternGeometry => {
  const pattern = network.patterns.get(patternId)!;
  return { patternId, pattern, line: measurePolyline(network.shapes.get(pattern.shapeId)!.points) };
};

/** Fixes every 5 s along a pattern at 30 km/h from `startMs`, standing 20 s at each stop. */
function drive(patternId: string, startMs: number): GpsRecord[] {
  const g = geometry(patternId);
  const fixes: GpsRecord[] = [];
  let t = startMs;
  let d = g.pattern.stops[0]!.distanceM;
  const speedMs = 30 / 3.6;
  for (const stop of g.pattern.stops) {
    for (; d < stop.distanceM; d = Math.min(stop.distanceM, d + speedMs * 5), t += 5000) fixes.push({ ts: t, ...pointAtDistance(g.line, d), speedKmh: 30 });
    for (let k = 0; k < 4; k++, t += 5000) fixes.push({ ts: t, ...pointAtDistance(g.line, stop.distanceM), speedKmh: 0, doorOpen: true });
  }
  return fixes;
}

describe('a trip_start naming a frequencies.txt template', () => {
  it('is the run starting at the announced startTime', () => {
    const catalogue = tripCatalogue(network, DAY);
    // The bus runs a minute late: its startTime still names the 08:10 run.
    expect(resolveAnnouncedTrip({ ts: at(8, 11), tripId: 'CITY1', startTime: '8:10:00' }, catalogue)).toEqual({
      tripId: 'CITY1@08:10:00',
      announcedTripId: 'CITY1',
    });
    // 06:45 is no run of the 30-minute headway: the nearest start is taken, as for exact_times = 0.
    expect(resolveAnnouncedTrip({ ts: at(6, 40), tripId: 'CITY1', startTime: '06:40:00' }, catalogue).tripId).toBe('CITY1@06:30:00');
    const [w] = assignTrips([{ ts: at(8, 11), event: 'trip_start', tripId: 'CITY1', startTime: '08:10:00' }], [], {}, catalogue);
    expect(w).toMatchObject({ tripId: 'CITY1@08:10:00', announcedTripId: 'CITY1', source: 'duty' });
    expect(w!.unknownTrip).toBeUndefined();
  });

  it('without startTime is the run departing nearest the event, one run per announcement', () => {
    const catalogue = tripCatalogue(network, DAY);
    expect(resolveAnnouncedTrip({ ts: at(8, 22), tripId: 'CITY2' }, catalogue).tripId).toBe('CITY2@08:20:00');
    // Two runs announced late, each nearer 08:20: the second one takes the next free run.
    const windows = assignTrips(
      [
        { ts: at(8, 24), event: 'trip_start', tripId: 'CITY1' },
        { ts: at(8, 26), event: 'trip_start', tripId: 'CITY1' },
      ],
      [],
      {},
      catalogue,
    );
    expect(windows.map((w) => w.tripId)).toEqual(['CITY1@08:20:00', 'CITY1@08:30:00']);
  });

  it('is reconstructed on its run, classified against its order', () => {
    const run = network.trips.get('CITY1@08:10:00')!;
    const duty: DutyEventLike[] = [{ ts: at(8, 10) - 1000, event: 'trip_start', tripId: 'CITY1', startTime: '08:10:00', tripOrderId: 'O1' }];
    const [j] = journeysOfBus({
      track: drive(run.patternId, at(8, 9)),
      duty,
      planned: [{ tripId: run.tripId, plannedDepartureMs: at(8, 10) }],
      patternOfTrip: (id) => (network.trips.get(id) ? geometry(network.trips.get(id)!.patternId) : undefined),
      candidatePatterns: [],
      catalogue: tripCatalogue(network, DAY),
      lateAfterMs: 5 * 60_000,
      nowMs: DAY_OVER,
    });
    expect(j).toMatchObject({ tripId: 'CITY1@08:10:00', announcedTripId: 'CITY1', patternId: run.patternId, classification: 'completed' });
    expect(j!.visits.every((v) => v.status === 'visited')).toBe(true);
  });
});

describe('a trip_start naming a trip the network does not have', () => {
  const pattern = () => network.trips.get('AB1')!.patternId;

  it("is reconstructed as unscheduled on the pattern of its bus's route, with its reason", () => {
    const [j] = journeysOfBus({
      track: drive(pattern(), at(9)),
      duty: [{ ts: at(9, 0, 30), event: 'trip_start', tripId: 'AB-2026-extra', tripOrderId: 'O1' }],
      planned: [],
      patternOfTrip: () => undefined,
      candidatePatterns: [...network.patterns.values()].filter((p) => p.routeId === 'AB').map((p) => geometry(p.patternId)),
      catalogue: tripCatalogue(network, DAY),
      lateAfterMs: 5 * 60_000,
      nowMs: DAY_OVER,
    });
    expect(j).toMatchObject({
      tripId: 'AB-2026-extra',
      patternId: pattern(),
      classification: 'unscheduled',
      unscheduledReason: 'unknown-trip-id',
      source: 'duty',
    });
    expect(j!.performed.stopsVisited).toBe(2);
  });

  it('is matched on any pattern of the network when its bus has no route that fits', () => {
    const [j] = journeysOfBus({
      track: drive(pattern(), at(9)),
      duty: [{ ts: at(9, 0, 30), event: 'trip_start', tripId: 'NOT-IN-FEED' }],
      planned: [],
      patternOfTrip: () => undefined,
      candidatePatterns: [],
      allPatterns: () => [...network.patterns.keys()].map(geometry),
      catalogue: tripCatalogue(network, DAY),
      lateAfterMs: 5 * 60_000,
      nowMs: DAY_OVER,
    });
    expect(j).toMatchObject({ tripId: 'NOT-IN-FEED', patternId: pattern(), classification: 'unscheduled', unscheduledReason: 'unknown-trip-id' });
  });

  it('is kept, without a pattern, when no pattern fits its positions at all', () => {
    const far = drive(pattern(), at(9)).map((f) => ({ ...f, lat: f.lat - 5 }));
    const journeys = journeysOfBus({
      track: far,
      duty: [{ ts: at(9, 0, 30), event: 'trip_start', tripId: 'NOT-IN-FEED' }],
      planned: [],
      patternOfTrip: () => undefined,
      candidatePatterns: [],
      allPatterns: () => [...network.patterns.keys()].map(geometry),
      catalogue: tripCatalogue(network, DAY),
      lateAfterMs: 5 * 60_000,
      nowMs: DAY_OVER,
    });
    expect(journeys).toHaveLength(1);
    expect(journeys[0]).toMatchObject({ tripId: 'NOT-IN-FEED', classification: 'unscheduled', unscheduledReason: 'unknown-trip-id', visits: [] });
    expect(journeys[0]!.patternId).toBeUndefined();
  });
});
